/**
 * The fast batch-norm kernels: walk memory in storage order (n, then c, then a contiguous run of S
 * values), with each channel's coefficients read once per run and the per-channel sums accumulated
 * straight into the caller's output vectors — no closures, no allocation.
 */
import type { TypedArray } from '../../base/dtype';
import { type ChannelLayout, valuesPerChannel } from './geometry';
import type { BatchNormKernels, InputGradientCoefficients } from './kernels';
import { composedTraining } from './training';

/** sums[c] = Σ x over channel c: each image's run summed, the runs added in image order. */
export function channelSums(x: TypedArray, layout: ChannelLayout, sums: Float64Array): void {
  const { batch, channels, spatial } = layout;
  sums.fill(0);
  let at = 0;
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      let sum = 0;
      for (const end = at + spatial; at < end; at++) sum += x[at];
      sums[c] += sum;
    }
  }
}

function channelMoments(x: TypedArray, layout: ChannelLayout, mean: Float64Array, variance: Float64Array): void {
  const { batch, channels, spatial } = layout;
  const m = valuesPerChannel(layout);
  channelSums(x, layout, mean);
  for (let c = 0; c < channels; c++) mean[c] /= m;
  // Two passes, as in the reference: the sum of squared deviations does not cancel.
  variance.fill(0);
  let i = 0;
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      const mu = mean[c];
      let squares = 0;
      for (const end = i + spatial; i < end; i++) {
        const d = x[i] - mu;
        squares += d * d;
      }
      variance[c] += squares;
    }
  }
  for (let c = 0; c < channels; c++) variance[c] /= m;
}

function normalize(
  x: TypedArray,
  layout: ChannelLayout,
  mean: Float64Array,
  scale: Float64Array,
  shift: Float64Array,
  y: TypedArray,
): void {
  const { batch, channels, spatial } = layout;
  let i = 0;
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      const mu = mean[c];
      const a = scale[c];
      const b = shift[c];
      for (const end = i + spatial; i < end; i++) y[i] = (x[i] - mu) * a + b;
    }
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
  const { batch, channels, spatial } = layout;
  sumDy.fill(0);
  sumDyCentered.fill(0);
  let i = 0;
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      const mu = mean[c];
      let plain = 0;
      let centered = 0;
      for (const end = i + spatial; i < end; i++) {
        const g = dy[i];
        plain += g;
        centered += g * (x[i] - mu);
      }
      sumDy[c] += plain;
      sumDyCentered[c] += centered;
    }
  }
}

function inputGradient(dy: TypedArray, x: TypedArray, layout: ChannelLayout, k: InputGradientCoefficients, dx: TypedArray): void {
  const { batch, channels, spatial } = layout;
  let i = 0;
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      const mu = k.mean[c];
      const gain = k.gain[c];
      const offset = k.offset[c];
      const slope = k.slope[c];
      for (const end = i + spatial; i < end; i++) dx[i] = gain * (dy[i] - offset - (x[i] - mu) * slope);
    }
  }
}

const passes = { channelMoments, normalize, gradientSums, inputGradient };
export const jsBatchNorm: BatchNormKernels = { ...passes, channelSums, ...composedTraining(passes) };
