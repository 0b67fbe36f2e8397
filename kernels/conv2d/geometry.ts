/**
 * Conv2dGeometry: every size a conv2d kernel needs, resolved once from the tensor shapes and the
 * user's options, and validated with errors that name the shapes involved.
 *
 * Layout follows PyTorch: input [N, C, H, W], weight [outC, C/groups, kH, kW], output
 * [N, outC, outH, outW] with
 *   outH = ⌊(H + padTop + padBottom − dilationH·(kH − 1) − 1) / strideH⌋ + 1   (same for W).
 * Kernels only need padTop/padLeft (where row/column 0 of the output looks); the bottom/right
 * amounts matter only through outH/outW. They differ only for 'same' with an even dilated
 * kernel, where, as in PyTorch, the extra row/column of padding goes at the bottom/right.
 */
import { type Shape, formatShape, formatValue } from '../../base/shape';

export type Pair = readonly [number, number];

export interface Conv2dOptions {
  /** Step between output positions: one number for both axes or [h, w] (default 1). */
  stride?: number | Pair;
  /** Zero padding: a number, [h, w], 'valid' (= 0) or 'same' (output size = input size; stride 1 only). */
  padding?: number | Pair | 'same' | 'valid';
  /** Spacing between kernel taps (default 1). */
  dilation?: number | Pair;
  /** Channels split into this many independent groups (default 1; groups = C is depthwise). */
  groups?: number;
}

export interface Conv2dGeometry {
  n: number;
  inC: number;
  h: number;
  w: number;
  outC: number;
  kH: number;
  kW: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padBottom: number;
  padLeft: number;
  padRight: number;
  dilationH: number;
  dilationW: number;
  groups: number;
  outH: number;
  outW: number;
}

/** Input channels per group (= weight.shape[1]). */
export const inChannelsPerGroup = (g: Conv2dGeometry): number => g.inC / g.groups;
/** Output channels per group. */
export const outChannelsPerGroup = (g: Conv2dGeometry): number => g.outC / g.groups;
/** Multiply-adds per output element (one row of the im2col matrix per kernel tap and channel). */
export const patchSize = (g: Conv2dGeometry): number => inChannelsPerGroup(g) * g.kH * g.kW;
export const outputShape = (g: Conv2dGeometry): number[] => [g.n, g.outC, g.outH, g.outW];
/** Floating-point operations of the forward pass (a multiply and an add per tap). */
export const forwardFlops = (g: Conv2dGeometry): number => 2 * g.n * g.outC * g.outH * g.outW * patchSize(g);

function positivePair(value: number | Pair, name: string, op: string): Pair {
  const pair: Pair = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && v > 0)) {
    throw new RangeError(`${op}: ${name} must be a positive integer or a pair of them, got ${formatValue(value)}`);
  }
  return [pair[0], pair[1]];
}

/** [top, bottom, left, right] padding. */
function resolvePadding(
  padding: Conv2dOptions['padding'],
  kernel: Pair,
  dilation: Pair,
  stride: Pair,
  op: string,
): [number, number, number, number] {
  if (padding === 'same') {
    if (stride[0] !== 1 || stride[1] !== 1) {
      throw new RangeError(`${op}: padding 'same' needs stride 1 (as in PyTorch), got stride ${formatShape(stride)}`);
    }
    // Total padding d·(k − 1) keeps the size; PyTorch puts the odd extra pixel at the end.
    const totalH = dilation[0] * (kernel[0] - 1);
    const totalW = dilation[1] * (kernel[1] - 1);
    const top = Math.floor(totalH / 2);
    const left = Math.floor(totalW / 2);
    return [top, totalH - top, left, totalW - left];
  }
  if (padding === 'valid') return [0, 0, 0, 0];
  const pair: Pair = padding === undefined ? [0, 0] : typeof padding === 'number' ? [padding, padding] : padding;
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && v >= 0)) {
    throw new RangeError(`${op}: padding must be a non-negative integer, a pair of them, 'same' or 'valid', got ${formatValue(padding)}`);
  }
  return [pair[0], pair[0], pair[1], pair[1]];
}

/** The options as the kernels use them: stride, dilation, [top, bottom, left, right] padding, groups. */
export interface Conv2dWindow {
  kernel: Pair;
  stride: Pair;
  dilation: Pair;
  padding: [number, number, number, number];
  groups: number;
}

/**
 * Checks and resolves the options for a kernel size. It needs no tensor, so nn.Conv2d runs it at
 * construction (op 'Conv2d') and conv2d at every call: one rule, one message.
 */
export function conv2dWindow(kernelSize: number | Pair, options: Conv2dOptions = {}, op = 'conv2d'): Conv2dWindow {
  const kernel = positivePair(kernelSize, 'kernelSize', op);
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups <= 0)
    throw new RangeError(`${op}: groups must be a positive integer, got ${formatValue(groups)}`);
  const stride = positivePair(options.stride ?? 1, 'stride', op);
  const dilation = positivePair(options.dilation ?? 1, 'dilation', op);
  return { kernel, stride, dilation, padding: resolvePadding(options.padding, kernel, dilation, stride, op), groups };
}

/** Checks the shapes against each other and the options, and resolves every size. */
export function conv2dGeometry(input: Shape, weight: Shape, bias: Shape | null, options: Conv2dOptions = {}): Conv2dGeometry {
  if (input.length !== 4) throw new RangeError(`conv2d: input must be 4-D [N,C,H,W], got ${formatShape(input)}`);
  if (weight.length !== 4) {
    throw new RangeError(`conv2d: weight must be 4-D [outC,inC/groups,kH,kW], got ${formatShape(weight)}`);
  }
  if (weight[2] < 1 || weight[3] < 1) throw new RangeError(`conv2d: kernel must be at least 1×1, got weight ${formatShape(weight)}`);
  const { stride, dilation, padding, groups } = conv2dWindow([weight[2], weight[3]], options);
  const [n, inC, h, w] = input;
  const [outC, weightInC, kH, kW] = weight;
  if (inC % groups !== 0) {
    throw new RangeError(`conv2d: input channels ${inC} (input ${formatShape(input)}) are not divisible by groups=${groups}`);
  }
  if (outC % groups !== 0) {
    throw new RangeError(`conv2d: output channels ${outC} (weight ${formatShape(weight)}) are not divisible by groups=${groups}`);
  }
  if (weightInC * groups !== inC) {
    throw new RangeError(
      `conv2d: input ${formatShape(input)} has ${inC} channels but weight ${formatShape(weight)} with groups=${groups} expects ${weightInC * groups} (weight.shape[1] × groups)`,
    );
  }
  if (bias !== null && (bias.length !== 1 || bias[0] !== outC)) {
    throw new RangeError(
      `conv2d: bias must have shape [${outC}] (one value per output channel of weight ${formatShape(weight)}), got ${formatShape(bias)}`,
    );
  }
  const [padTop, padBottom, padLeft, padRight] = padding;
  const spanH = dilation[0] * (kH - 1) + 1;
  const spanW = dilation[1] * (kW - 1) + 1;
  const paddedH = h + padTop + padBottom;
  const paddedW = w + padLeft + padRight;
  if (spanH > paddedH || spanW > paddedW) {
    throw new RangeError(
      `conv2d: the dilated kernel ${spanH}×${spanW} (weight ${formatShape(weight)}, dilation ${formatShape(dilation)}) is larger than the padded input ${paddedH}×${paddedW} (input ${formatShape(input)})`,
    );
  }
  return {
    n,
    inC,
    h,
    w,
    outC,
    kH,
    kW,
    groups,
    strideH: stride[0],
    strideW: stride[1],
    dilationH: dilation[0],
    dilationW: dilation[1],
    padTop,
    padBottom,
    padLeft,
    padRight,
    outH: Math.floor((paddedH - spanH) / stride[0]) + 1,
    outW: Math.floor((paddedW - spanW) / stride[1]) + 1,
  };
}
