/**
 * maxPool2d, avgPool2d, adaptiveAvgPool2d over the last two dims of an (N,C,H,W) or (C,H,W)
 * tensor, with PyTorch's output sizes and divisors. The loops live in kernels/pool2d.
 *
 *   max:  y = x[argmax of window];  dX = dY scattered to the argmax (summed where windows overlap)
 *   avg:  y = Σ_window x / divisor;  dX = dY / divisor spread over the window
 * Both backwards are ops of their own (pool2d-backward.ts), so pooling is twice differentiable.
 */
import { Tensor } from '../tensor';
import { defineOp } from '../define-op';
import { allocateIndices, allocateUnfilled, recycleIndices } from '../../base/dtype';
import { checkShape, formatShape, formatValue, sizeOf } from '../../base/shape';
import { checkBoolean, checkOptions, optionKeys } from '../validate';
import {
  type AvgPool2dGeometry,
  type MaxPool2dGeometry,
  adaptiveWindows,
  avgPoolWindows,
  pool2dKernels,
  pooledSize,
  withDivisor,
} from '../../kernels/pool2d';
import { type AveragingSaved, avgPool2dBackward, maxPool2dBackward } from './pool2d-backward';

/** One size for both spatial dims, or [height, width]. */
export type IntPair = number | readonly [number, number];

export interface MaxPool2dOptions {
  /** Default: the kernel size. */
  stride?: IntPair;
  /** Implicit −∞ padding on both sides; at most half the kernel size. Default 0. */
  padding?: IntPair;
  /** Spacing between window taps. Default 1. */
  dilation?: IntPair;
  /** Use ceil instead of floor for the output size (a last, partial window). Default false. */
  ceilMode?: boolean;
}
export const maxPool2dOptionKeys = optionKeys<MaxPool2dOptions>({ stride: true, padding: true, dilation: true, ceilMode: true });

export interface AvgPool2dOptions {
  /** Default: the kernel size. */
  stride?: IntPair;
  /** Implicit zero padding on both sides; at most half the kernel size. Default 0. */
  padding?: IntPair;
  ceilMode?: boolean;
  /** Count padding cells in the divisor (not the part of a ceil-mode window past the padding). Default true. */
  countIncludePad?: boolean;
  /** Divide every window's sum by this instead. */
  divisorOverride?: number;
}
export const avgPool2dOptionKeys = optionKeys<AvgPool2dOptions>({
  stride: true,
  padding: true,
  ceilMode: true,
  countIncludePad: true,
  divisorOverride: true,
});

interface PlaneLayout {
  planes: number;
  inH: number;
  inW: number;
  /** Shape without the spatial dims: [N, C] or [C]. */
  leading: number[];
}

/**
 * Which dims may be 0, as PyTorch 1.13: max and average pooling accept only an empty batch (N of a
 * 4-D input); adaptive pooling accepts any empty leading dim but needs H and W. An empty input
 * gives an empty output of the pooled shape and an empty gradient.
 */
type EmptyDims = 'batch' | 'leading';

function planeLayout(x: Tensor, op: string, empty: EmptyDims): PlaneLayout {
  if (x.ndim !== 3 && x.ndim !== 4) {
    throw new RangeError(`${op}: expected a 3-D (C,H,W) or 4-D (N,C,H,W) input, got shape ${formatShape(x.shape)}`);
  }
  const leading = x.shape.slice(0, -2);
  const [inH, inW] = x.shape.slice(-2);
  if (empty === 'batch' && x.shape.some((d, i) => d === 0 && !(i === 0 && x.ndim === 4))) {
    throw new RangeError(`${op}: input of shape ${formatShape(x.shape)} has an empty non-batch dim (only N of (N,C,H,W) may be 0)`);
  }
  if (inH === 0 || inW === 0) {
    throw new RangeError(`${op}: input of shape ${formatShape(x.shape)} has an empty spatial dim (H and W must be ≥ 1)`);
  }
  return { planes: sizeOf(leading), inH, inW, leading };
}

function pairOf(value: IntPair, name: string, op: string, min: number): [number, number] {
  const pair = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && v >= min)) {
    throw new RangeError(`${op}: ${name} must be an integer ≥ ${min} or a pair of them, got ${formatValue(value)}`);
  }
  return [pair[0], pair[1]];
}

/** adaptiveAvgPool2d's output size, checked (nn.AdaptiveAvgPool2d runs this at construction). */
export const adaptiveOutputSize = (outputSize: IntPair, op = 'adaptiveAvgPool2d'): [number, number] =>
  pairOf(outputSize, 'outputSize', op, 1);

interface PoolWindow {
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  ceilMode: boolean;
}

/**
 * Checks every option of max and average pooling (PyTorch's rules and messages) and resolves the
 * window. It needs no tensor, so nn.MaxPool2d and nn.AvgPool2d run it at construction.
 */
export function poolWindow(
  op: string,
  kernelSize: IntPair,
  options: MaxPool2dOptions & AvgPool2dOptions,
  keys: readonly string[],
): PoolWindow {
  checkOptions(op, options, keys);
  const kernel = pairOf(kernelSize, 'kernelSize', op, 1);
  const stride = pairOf(options.stride ?? kernel, 'stride', op, 1);
  const padding = pairOf(options.padding ?? 0, 'padding', op, 0);
  const dilation = pairOf(options.dilation ?? 1, 'dilation', op, 1);
  if (padding[0] > kernel[0] / 2 || padding[1] > kernel[1] / 2) {
    throw new RangeError(
      `${op}: padding should be at most half of kernel size, but got padding=${formatShape(padding)} and kernelSize=${formatShape(kernel)}`,
    );
  }
  const ceilMode = checkBoolean(op, 'ceilMode', options.ceilMode ?? false);
  checkBoolean(op, 'countIncludePad', options.countIncludePad ?? true);
  const override = options.divisorOverride;
  if (override !== undefined && !(typeof override === 'number' && Number.isFinite(override) && override !== 0)) {
    throw new RangeError(`${op}: divisorOverride must be a finite non-zero number, got ${formatValue(override)}`);
  }
  return { kernel, stride, padding, dilation, ceilMode };
}

interface WindowParams extends PoolWindow {
  out: [number, number];
}

/** Checks the options and sizes the output. */
function windowParams(
  layout: PlaneLayout,
  op: string,
  kernelSize: IntPair,
  options: MaxPool2dOptions & AvgPool2dOptions,
  keys: readonly string[],
): WindowParams {
  const window = poolWindow(op, kernelSize, options, keys);
  const { kernel, stride, padding, dilation, ceilMode } = window;
  const out: [number, number] = [
    pooledSize(layout.inH, kernel[0], stride[0], padding[0], dilation[0], ceilMode),
    pooledSize(layout.inW, kernel[1], stride[1], padding[1], dilation[1], ceilMode),
  ];
  if (out[0] < 1 || out[1] < 1) {
    throw new RangeError(
      `${op}: input size ${layout.inH}×${layout.inW} gives output size ${out[0]}×${out[1]}, which is too small (kernelSize=${formatShape(kernel)}, padding=${formatShape(padding)}, dilation=${formatShape(dilation)})`,
    );
  }
  return { ...window, out };
}

const outputShape = (layout: PlaneLayout, outH: number, outW: number): number[] => [...layout.leading, outH, outW];

/** maxPool2d(x, kernelSize, { stride = kernelSize, padding = 0, dilation = 1, ceilMode = false }). */
export const maxPool2d = defineOp({
  name: 'maxPool2d',
  forward: (x: Tensor, kernelSize: IntPair, options: MaxPool2dOptions = {}) => {
    const layout = planeLayout(x, 'maxPool2d', 'batch');
    const { kernel, stride, padding, dilation, out } = windowParams(layout, 'maxPool2d', kernelSize, options, maxPool2dOptionKeys);
    const geometry: MaxPool2dGeometry = {
      planes: layout.planes,
      inH: layout.inH,
      inW: layout.inW,
      outH: out[0],
      outW: out[1],
      kH: kernel[0],
      kW: kernel[1],
      sH: stride[0],
      sW: stride[1],
      pH: padding[0],
      pW: padding[1],
      dH: dilation[0],
      dW: dilation[1],
    };
    const shape = outputShape(layout, out[0], out[1]);
    const values = allocateUnfilled(x.dtype, sizeOf(shape));
    const argmax = allocateIndices(values.length);
    pool2dKernels().maxPool2dForward(x.values(), geometry, values, argmax);
    return { output: Tensor.fromData(values, shape), saved: { geometry, argmax, inputShape: x.shape, dtype: x.dtype } };
  },
  backward: (saved, gradOutput) => [maxPool2dBackward(gradOutput, saved)],
  discard: ({ argmax }) => recycleIndices(argmax),
});

/** Average pooling over resolved windows; avgPool2d and adaptiveAvgPool2d differ only in their windows. */
const averaging = {
  forward: (x: Tensor, geometry: AvgPool2dGeometry): { output: Tensor; saved: AveragingSaved } => {
    const shape = [...x.shape.slice(0, -2), geometry.rows.start.length, geometry.cols.start.length];
    const values = allocateUnfilled(x.dtype, sizeOf(shape));
    pool2dKernels().avgPool2dForward(x.values(), geometry, values);
    return { output: Tensor.fromData(values, shape), saved: { geometry, inputShape: x.shape, dtype: x.dtype } };
  },
  backward: (saved: AveragingSaved, gradOutput: Tensor) => [avgPool2dBackward(gradOutput, saved)],
};

/** avgPool2d on windows already resolved and checked (avgPool2dBackward's backward runs it again). */
export const averagePool: (x: Tensor, geometry: AvgPool2dGeometry) => Tensor = defineOp({ name: 'avgPool2d', ...averaging });
const adaptiveAveragePool: (x: Tensor, geometry: AvgPool2dGeometry) => Tensor = defineOp({ name: 'adaptiveAvgPool2d', ...averaging });

/**
 * avgPool2d(x, kernelSize, { stride = kernelSize, padding = 0, ceilMode = false,
 * countIncludePad = true, divisorOverride }): PyTorch's divisors — with countIncludePad the window
 * size cut at the padded edge, else the number of real input cells, or divisorOverride.
 */
export function avgPool2d(x: Tensor, kernelSize: IntPair, options: AvgPool2dOptions = {}): Tensor {
  const layout = planeLayout(x, 'avgPool2d', 'batch');
  const { kernel, stride, padding, out } = windowParams(layout, 'avgPool2d', kernelSize, options, avgPool2dOptionKeys);
  const countIncludePad = options.countIncludePad ?? true;
  const rows = avgPoolWindows(layout.inH, out[0], kernel[0], stride[0], padding[0], countIncludePad);
  const cols = avgPoolWindows(layout.inW, out[1], kernel[1], stride[1], padding[1], countIncludePad);
  const override = options.divisorOverride;
  const geometry: AvgPool2dGeometry =
    override === undefined
      ? { planes: layout.planes, inH: layout.inH, inW: layout.inW, rows, cols }
      : { planes: layout.planes, inH: layout.inH, inW: layout.inW, rows: withDivisor(rows, override), cols: withDivisor(cols, 1) };
  return averagePool(x, geometry);
}

/**
 * adaptiveAvgPool2d(x, outputSize): output cell i averages input rows floor(i·H/out) to
 * ceil((i+1)·H/out) (exclusive), and likewise for columns. outputSize 1 is global average pooling.
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: IntPair): Tensor {
  const layout = planeLayout(x, 'adaptiveAvgPool2d', 'leading');
  const [outH, outW] = adaptiveOutputSize(outputSize);
  // outputSize is the one pooling argument that can ask for more cells than memory holds: say so before the windows are built.
  checkShape(outputShape(layout, outH, outW), 'adaptiveAvgPool2d', { argument: 'output shape' });
  const geometry: AvgPool2dGeometry = {
    planes: layout.planes,
    inH: layout.inH,
    inW: layout.inW,
    rows: adaptiveWindows(layout.inH, outH),
    cols: adaptiveWindows(layout.inW, outW),
  };
  return adaptiveAveragePool(x, geometry);
}
