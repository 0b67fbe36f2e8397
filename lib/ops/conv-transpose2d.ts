/**
 * convTranspose2d: the transposed 2-D convolution (PyTorch's conv_transpose2d), the adjoint of
 * conv2d. Input x [N, inC, H, W], weight [inC, outC/groups, kH, kW] (PyTorch's layout), bias [outC],
 * output [N, outC, outH, outW] with
 *   outH = (H − 1)·stride − 2·padding + dilation·(kH − 1) + outputPadding + 1   (same for W);
 * outputPadding adds rows/columns at the bottom/right, to pick among the input sizes that a conv2d
 * with these options maps to H (PyTorch's rule: outputPadding < stride or < dilation).
 *
 * It is conv2d's input gradient: take the conv2d `geo` whose input has this op's output shape,
 * whose output has x's shape and whose weight is this weight ([outC_conv = inC, C_conv/groups]):
 *   y[n,c,u,v] = b[c] + Σ_{o,p,q} x[n,o,i,j] · w[o,c',p,q]   over the taps with u = i·s + p·d − pad
 * which is backwardInput(gradOutput = x). By the chain rule on that sum:
 *   dX[n,o,i,j] = Σ_{c,p,q} dY[n,c,i·s + p·d − pad, …] · w[o,c',p,q]  = conv2d(dY, W)      (forward)
 *   dW[o,c',p,q] = Σ_{n,i,j} x[n,o,i,j] · dY[n,c,i·s + p·d − pad, …]  = conv2dWeightGrad(dY, X)
 *                                        (conv2d's weight gradient with dY as its input and x as its gradOutput)
 *   db[c]        = Σ_{n,u,v} dY[n,c,u,v]
 * So every conv2d backend (reference, js, wasm, gpu.js) runs it with no kernel of its own. First
 * order runs those kernels on raw arrays; with createGraph the three are the ops convolution,
 * conv2dWeightGrad and sum, each differentiable again.
 */
import { Tensor } from '../tensor';
import { defineOp } from '../define-op';
import { type TypedArray, allocate } from '../../base/dtype';
import { isGradEnabled } from '../grad-mode';
import { type Shape, checkShape, formatShape, formatValue, sizeOf } from '../../base/shape';
import { type Conv2dGeometry, type Pair, conv2dKernels, conv2dWindow } from '../../kernels/conv2d';
import { checkOptions, optionKeys } from '../validate';
import { type ConvOp, type ConvSaved, convSaved, inDType, kernelGradients } from './conv-operands';
import { convolution } from './conv2d';
import { conv2dWeightGrad } from './conv2d-weight-grad';
import { sum } from './reductions';

export interface ConvTranspose2dOptions {
  /** Step between the input's positions in the output: one number for both axes or [h, w] (default 1). */
  stride?: number | Pair;
  /** Rows/columns taken off each side of the full output: a number or [h, w] (default 0). */
  padding?: number | Pair;
  /** Rows/columns added at the bottom/right of the output (default 0; < stride or < dilation). */
  outputPadding?: number | Pair;
  /** Channels split into this many independent groups (default 1). */
  groups?: number;
  /** Spacing between kernel taps (default 1). */
  dilation?: number | Pair;
}
export const convTranspose2dOptionKeys = optionKeys<ConvTranspose2dOptions>({
  stride: true,
  padding: true,
  outputPadding: true,
  groups: true,
  dilation: true,
});

function nonNegativePair(value: number | Pair, name: string, op: string): Pair {
  const pair: Pair = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && v >= 0)) {
    throw new RangeError(`${op}: ${name} must be a non-negative integer or a pair of them, got ${formatValue(value)}`);
  }
  return [pair[0], pair[1]];
}

/** The options resolved for a kernel size: stride, padding, outputPadding, dilation (as [h, w]) and groups. */
export interface ConvTranspose2dWindow {
  kernel: Pair;
  stride: Pair;
  padding: Pair;
  outputPadding: Pair;
  dilation: Pair;
  groups: number;
}

/**
 * Checks and resolves the options for a kernel size. It needs no tensor, so nn.ConvTranspose2d runs
 * it at construction (op 'ConvTranspose2d') and convTranspose2d at every call: one rule, one message.
 */
export function convTranspose2dWindow(
  kernelSize: number | Pair,
  options: ConvTranspose2dOptions = {},
  op = 'convTranspose2d',
): ConvTranspose2dWindow {
  // conv2d's 'same' and 'valid' have no transposed meaning (PyTorch refuses them too).
  const padding = nonNegativePair(options.padding ?? 0, 'padding', op);
  const { kernel, stride, dilation, groups } = conv2dWindow(kernelSize, { ...options, padding }, op);
  const outputPadding = nonNegativePair(options.outputPadding ?? 0, 'outputPadding', op);
  for (const axis of [0, 1]) {
    if (outputPadding[axis] >= stride[axis] && outputPadding[axis] >= dilation[axis]) {
      throw new RangeError(
        `${op}: outputPadding must be smaller than stride or dilation (as in PyTorch), got outputPadding ${formatShape(outputPadding)} with stride ${formatShape(stride)} and dilation ${formatShape(dilation)}`,
      );
    }
  }
  return { kernel, stride, padding, outputPadding, dilation, groups };
}

/**
 * Checks the shapes against each other and the options, and returns the geometry of the conv2d
 * whose input gradient this transposed convolution is: its input is the [N, outC, outH, outW]
 * output, its output is x. padBottom = padding − outputPadding (negative when outputPadding is
 * larger) keeps the geometry's own size rule true; the kernels read only padTop and padLeft.
 */
export function convTranspose2dGeometry(
  input: Shape,
  weight: Shape,
  bias: Shape | null,
  options: ConvTranspose2dOptions = {},
): Conv2dGeometry {
  const op = 'convTranspose2d';
  if (input.length !== 4) throw new RangeError(`${op}: input must be 4-D [N,C,H,W], got ${formatShape(input)}`);
  if (weight.length !== 4) {
    throw new RangeError(`${op}: weight must be 4-D [inC,outC/groups,kH,kW], got ${formatShape(weight)}`);
  }
  if (weight.some((d) => d < 1)) throw new RangeError(`${op}: weight ${formatShape(weight)} has an empty dim`);
  const { stride, padding, outputPadding, dilation, groups } = convTranspose2dWindow([weight[2], weight[3]], options);
  const [n, inC, h, w] = input;
  if (inC < 1 || h < 1 || w < 1) {
    throw new RangeError(`${op}: input ${formatShape(input)} has an empty dim (only N of [N,C,H,W] may be 0)`);
  }
  const [weightInC, outCPerGroup, kH, kW] = weight;
  if (inC % groups !== 0) {
    throw new RangeError(`${op}: input channels ${inC} (input ${formatShape(input)}) are not divisible by groups=${groups}`);
  }
  if (weightInC !== inC) {
    throw new RangeError(
      `${op}: input ${formatShape(input)} has ${inC} channels but weight ${formatShape(weight)} expects ${weightInC} (weight.shape[0])`,
    );
  }
  const outC = outCPerGroup * groups;
  if (bias !== null && (bias.length !== 1 || bias[0] !== outC)) {
    throw new RangeError(
      `${op}: bias must have shape [${outC}] (weight.shape[1] × groups=${groups} output channels), got ${formatShape(bias)}`,
    );
  }
  const outH = (h - 1) * stride[0] - 2 * padding[0] + dilation[0] * (kH - 1) + outputPadding[0] + 1;
  const outW = (w - 1) * stride[1] - 2 * padding[1] + dilation[1] * (kW - 1) + outputPadding[1] + 1;
  if (outH < 1 || outW < 1) {
    throw new RangeError(
      `${op}: the output would be ${outH}×${outW} for input ${formatShape(input)}, weight ${formatShape(weight)} and padding ${formatShape(padding)}: padding is too large`,
    );
  }
  return {
    n,
    inC: outC,
    h: outH,
    w: outW,
    outC: inC,
    kH,
    kW,
    groups,
    strideH: stride[0],
    strideW: stride[1],
    dilationH: dilation[0],
    dilationW: dilation[1],
    padTop: padding[0],
    padBottom: padding[0] - outputPadding[0],
    padLeft: padding[1],
    padRight: padding[1] - outputPadding[1],
    outH: h,
    outW: w,
  };
}

/** y[n,c,…] += b[c] over each [h·w] plane. */
function addBias(out: TypedArray, bias: TypedArray, n: number, channels: number, plane: number): void {
  let at = 0;
  for (let image = 0; image < n; image++) {
    for (let c = 0; c < channels; c++) {
      const b = bias[c];
      for (let end = at + plane; at < end; at++) out[at] += b;
    }
  }
}

/** The transposed convolution of the conv2d `geo` (see convTranspose2dGeometry), on checked operands. */
export const transposedConvolution: ConvOp = defineOp({
  name: 'convTranspose2d',
  forward: (x: Tensor, weight: Tensor, bias: Tensor | null, geo: Conv2dGeometry) => {
    const saved = convSaved(x, weight, bias, geo);
    // A huge stride or batch asks for more than one typed array holds: named here, not by the engine.
    const shape = checkShape([geo.n, geo.inC, geo.h, geo.w], 'convTranspose2d', { argument: 'output shape' });
    const out = allocate(x.dtype, sizeOf(shape));
    conv2dKernels().backwardInput(saved.xData, saved.weightData, geo, out);
    if (bias) addBias(out, inDType(bias.values(), x.dtype), geo.n, geo.inC, geo.h * geo.w);
    return { output: Tensor.fromData(out, shape), saved };
  },
  backward: (saved: ConvSaved, gradOutput, needsGrad) => {
    const { x, weight, geo } = saved;
    if (isGradEnabled()) {
      return [
        needsGrad[0] ? convolution(gradOutput, weight, null, geo) : null,
        needsGrad[1] ? conv2dWeightGrad(gradOutput, x, geo) : null,
        needsGrad[2] ? sum(gradOutput, [0, 2, 3]) : null,
      ];
    }
    const kernels = conv2dKernels();
    return kernelGradients(saved, gradOutput, needsGrad, {
      input: (gy, { weightData }, gx) => kernels.forward(gy, weightData, null, geo, gx),
      weight: (gy, { xData }, gw) => kernels.backwardWeight(xData, gy, geo, gw),
      outputLayout: [geo.n, geo.inC, geo.h * geo.w],
    });
  },
});

/**
 * F.convTranspose2d(x, weight, bias?, { stride, padding, outputPadding, groups, dilation }), as
 * PyTorch's conv_transpose2d. The output has the input's dtype; weight and bias are read in it.
 */
export function convTranspose2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvTranspose2dOptions = {}): Tensor {
  checkOptions('convTranspose2d', options, convTranspose2dOptionKeys);
  const geo = convTranspose2dGeometry(x.shape, weight.shape, bias ? bias.shape : null, options);
  return transposedConvolution(x, weight, bias ?? null, geo);
}
