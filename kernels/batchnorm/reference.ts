/**
 * The reference batch-norm kernels: one channel at a time, visiting its N·S values through
 * `at(n, c, s)`, as the formulas read. Sums are float64 (JS numbers) whatever the tensor dtype.
 */
import type { TypedArray } from '../../base/dtype';
import { type ChannelLayout, valuesPerChannel } from './geometry';
import type { BatchNormKernels, InputGradientCoefficients } from './kernels';
import { composedTraining } from './training';
import { channelSums } from './js';

const at = (layout: ChannelLayout, n: number, c: number, s: number): number => (n * layout.channels + c) * layout.spatial + s;

/** Calls visit(i) with the flat index of every value of channel c. */
function forEachInChannel(layout: ChannelLayout, c: number, visit: (i: number) => void): void {
  for (let n = 0; n < layout.batch; n++) {
    for (let s = 0; s < layout.spatial; s++) visit(at(layout, n, c, s));
  }
}

function channelMoments(x: TypedArray, layout: ChannelLayout, mean: Float64Array, variance: Float64Array): void {
  const m = valuesPerChannel(layout);
  for (let c = 0; c < layout.channels; c++) {
    let sum = 0;
    forEachInChannel(layout, c, (i) => (sum += x[i]));
    mean[c] = sum / m;
    // Second pass over deviations: Σx² − M·μ² would cancel catastrophically when |μ| ≫ σ.
    let squares = 0;
    forEachInChannel(layout, c, (i) => (squares += (x[i] - mean[c]) ** 2));
    variance[c] = squares / m;
  }
}

function normalize(
  x: TypedArray,
  layout: ChannelLayout,
  mean: Float64Array,
  scale: Float64Array,
  shift: Float64Array,
  y: TypedArray,
): void {
  for (let c = 0; c < layout.channels; c++) {
    forEachInChannel(layout, c, (i) => (y[i] = (x[i] - mean[c]) * scale[c] + shift[c]));
  }
}

function gradientSums(
  dy: TypedArray,
  x: TypedArray,
  layout: ChannelLayout,
  mean: Float64Array,
  sumDy: Float64Array,
  sumDyCentered: Float64Array,
): void {
  for (let c = 0; c < layout.channels; c++) {
    let plain = 0;
    let centered = 0;
    forEachInChannel(layout, c, (i) => {
      plain += dy[i];
      centered += dy[i] * (x[i] - mean[c]);
    });
    sumDy[c] = plain;
    sumDyCentered[c] = centered;
  }
}

function inputGradient(dy: TypedArray, x: TypedArray, layout: ChannelLayout, k: InputGradientCoefficients, dx: TypedArray): void {
  for (let c = 0; c < layout.channels; c++) {
    forEachInChannel(layout, c, (i) => (dx[i] = k.gain[c] * (dy[i] - k.offset[c] - (x[i] - k.mean[c]) * k.slope[c])));
  }
}

const passes = { channelMoments, normalize, gradientSums, inputGradient };
// The plain sums are the js loop's: a convolution's float64 bias gradient keeps its bits on either backend.
export const referenceBatchNorm: BatchNormKernels = { ...passes, channelSums, ...composedTraining(passes) };
