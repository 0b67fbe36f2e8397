/**
 * Batch norm in training with batch statistics, each direction as one kernel call: the forward's
 * moments, σ⁻¹ and normalization, the backward's sums and input gradient. The wasm kernels do a
 * channel's whole work at once, while its values are in cache, in one fork/join (see
 * kernels/wasm/assembly/batchnorm.ts); the other backends compose their four passes with the
 * per-channel algebra below, which the wasm kernels repeat operation for operation.
 */
import type { TypedArray } from '../../base/dtype';
import { type ChannelLayout, valuesPerChannel } from './geometry';
import type { BatchNormKernels, BatchNormPasses, TrainingStatistics } from './kernels';

/** σ⁻¹ = 1/√(v + eps), and 0 where v + eps = 0 (a constant channel with eps 0: x̂ is 0, not NaN). */
function inverseStd(variance: number, eps: number): number {
  return variance + eps === 0 ? 0 : 1 / Math.sqrt(variance + eps);
}

/** γσ⁻¹ per channel: the normalization's scale, and dx's gain. */
export function channelGain(gamma: Float64Array, invStd: Float64Array): Float64Array {
  return gamma.map((g, c) => g * invStd[c]);
}

/**
 * dx's coefficients with batch statistics: gain γσ⁻¹; the mean of dy (offset) and the projection
 * of dy on x̂ (slope) are removed, since μ and σ depend on x.
 */
function trainingCoefficients(
  statistics: Pick<TrainingStatistics, 'mean' | 'invStd'>,
  gamma: Float64Array,
  sumDy: Float64Array,
  sumDyCentered: Float64Array,
  count: number,
) {
  const { mean, invStd } = statistics;
  return {
    mean,
    gain: channelGain(gamma, invStd),
    offset: sumDy.map((s) => s / count),
    slope: sumDyCentered.map((s, c) => (s * invStd[c] * invStd[c]) / count),
  };
}

/** The two training calls of a backend whose kernels are the four passes. */
export function composedTraining(passes: BatchNormPasses): Pick<BatchNormKernels, 'trainingForward' | 'trainingBackward'> {
  return {
    trainingForward(x: TypedArray, layout: ChannelLayout, eps: number, gamma: Float64Array, beta: Float64Array, statistics, y) {
      const { mean, variance, invStd } = statistics;
      passes.channelMoments(x, layout, mean, variance);
      invStd.set(variance.map((v) => inverseStd(v, eps)));
      passes.normalize(x, layout, mean, channelGain(gamma, invStd), beta, y);
    },
    trainingBackward(dy, x, layout, statistics, gamma, sums, dx) {
      passes.gradientSums(dy, x, layout, statistics.mean, sums.sumDy, sums.sumDyCentered);
      const k = trainingCoefficients(statistics, gamma, sums.sumDy, sums.sumDyCentered, valuesPerChannel(layout));
      passes.inputGradient(dy, x, layout, k, dx);
    },
  };
}
