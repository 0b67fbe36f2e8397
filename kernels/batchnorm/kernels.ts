/**
 * The batch-norm kernel interface: the four O(N·C·S) passes of forward and backward, the plain
 * per-channel sums (which a convolution's bias gradient uses too), and training
 * with batch statistics as one call per direction (training.ts), which also does the O(C) algebra
 * between the passes (σ⁻¹, γσ⁻¹, dx's coefficients); running statistics stay in
 * lib/ops/batchnorm.ts. Per-channel vectors are Float64Array of length C; x, y, dy, dx are in the
 * tensor's dtype.
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

/** What training's forward computes per channel besides y: the batch's mean and biased variance, and σ⁻¹. */
export interface TrainingStatistics {
  mean: Float64Array;
  variance: Float64Array;
  invStd: Float64Array;
}

/** The per-channel sums of training's backward (gradientSums'), for the weight and bias gradients. */
export interface GradientSums {
  sumDy: Float64Array;
  sumDyCentered: Float64Array;
}

export interface BatchNormPasses {
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

export interface BatchNormKernels extends BatchNormPasses {
  /**
   * sums[c] = Σ x over channel c: batch norm's plain channel sum, which is also a convolution's
   * bias gradient (lib/ops/conv-operands.ts). The js and reference kernels sum each image's run,
   * then add the runs in image order.
   */
  channelSums(x: TypedArray, layout: ChannelLayout, sums: Float64Array): void;
  /**
   * Training forward with batch statistics: the moments, σ⁻¹ = 1/√(variance + eps) (0 where
   * variance + eps = 0), y = (x − mean) · γσ⁻¹ + β.
   */
  trainingForward(
    x: TypedArray,
    layout: ChannelLayout,
    eps: number,
    gamma: Float64Array,
    beta: Float64Array,
    statistics: TrainingStatistics,
    y: TypedArray,
  ): void;
  /**
   * Training backward with batch statistics: the sums, then dx = γσ⁻¹ · (dy − ΣDy/M − (x − mean) ·
   * ΣDy(x − mean) · σ⁻² / M).
   */
  trainingBackward(
    dy: TypedArray,
    x: TypedArray,
    layout: ChannelLayout,
    statistics: Pick<TrainingStatistics, 'mean' | 'invStd'>,
    gamma: Float64Array,
    sums: GradientSums,
    dx: TypedArray,
  ): void;
}
