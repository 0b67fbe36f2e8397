/**
 * What conv2d's forward may do to its output before handing it back, on each (image, group) slice
 * right after computing it, while the slice is still in cache: the inference path (nn/inference)
 * fuses the ReLU that follows a conv (and the batch norm folded into it) this way, saving a pass
 * over the activations and an array. Forward-only: nothing here has a backward, so only the
 * gradient-free path uses it (lib/ops/conv2d-inference.ts).
 */
export interface Conv2dEpilogue {
  /** y = max(y, 0) after the bias: the ReLU (−0 becomes 0, a NaN stays NaN, as relu's forward). */
  readonly relu: boolean;
}

/** The plain convolution. */
export const noEpilogue: Conv2dEpilogue = { relu: false };
