/** Small fixtures shared by the specs. */
import { Tensor } from '../index';

/** A leaf that requires grad and is a transposed (non-contiguous) view of a 2-D tensor. */
export function transposedLeaf(t: Tensor): Tensor {
  return new Tensor(t.nd.transpose(1, 0), true);
}
