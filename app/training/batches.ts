/** What the training loop consumes: batches of images and class labels, and how many there are. */
import type { Tensor } from '../../lib/tensor';

export interface Batch {
  /** Inputs, e.g. [B, C, H, W]. */
  x: Tensor;
  /** Class indices, [B]. */
  y: Tensor;
}

export interface Batches extends Iterable<Batch> {
  /** Number of batches one pass yields. */
  readonly length: number;
}
