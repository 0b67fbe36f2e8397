/**
 * The batch-norm kernel interface: the four O(N·C·S) passes of forward and backward. The O(C)
 * algebra between them (σ, γ/σ, running statistics) stays in lib/ops/batchnorm.ts. Per-channel
 * vectors are Float64Array of length C; x, y, dy, dx are in the tensor's dtype.
 */
import type { TypedArray } from '../../base/dtype';
import type { ChannelLayout } from './geometry';

/** The per-channel coefficients of dx; see BatchNormKernels.inputGradient. */
export interface InputGradientCoefficients {
  mean: Float64Array;
  gain: Float64Array;
  offset: Float64Array;
  slope: Float64Array;
}

export interface BatchNormKernels {
  /** mean[c] and the biased variance[c] = Σ (x − mean[c])² / M of each channel (two passes). */
  channelMoments(x: TypedArray, layout: ChannelLayout, mean: Float64Array, variance: Float64Array): void;
  /** y = (x − mean[c]) · scale[c] + shift[c]. */
  normalize(x: TypedArray, layout: ChannelLayout, mean: Float64Array, scale: Float64Array, shift: Float64Array, y: TypedArray): void;
  /** sumDy[c] = Σ dy and sumDyCentered[c] = Σ dy · (x − mean[c]) over each channel. */
  gradientSums(
    dy: TypedArray,
    x: TypedArray,
    layout: ChannelLayout,
    mean: Float64Array,
    sumDy: Float64Array,
    sumDyCentered: Float64Array,
  ): void;
  /** dx = gain[c] · (dy − offset[c] − (x − mean[c]) · slope[c]). */
  inputGradient(dy: TypedArray, x: TypedArray, layout: ChannelLayout, coefficients: InputGradientCoefficients, dx: TypedArray): void;
}
