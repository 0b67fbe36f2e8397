/** Inputs shared by the op specs: non-contiguous leaves and kink-free random data. */
import { Tensor, randn } from '../../index';

/** A leaf that requires grad and is a transposed (non-contiguous) view of a 2-D tensor. */
export function transposedLeaf(t: Tensor): Tensor {
  return new Tensor(t.nd.transpose(1, 0), true);
}

/**
 * Standard normal samples moved at least `margin` away from every kink, so central differences
 * with a tiny step never straddle one.
 */
export function kinkFreeRandn(shape: number[], kinks: readonly number[], margin = 0.05): Tensor {
  const t = randn(shape);
  const data = t.contiguousData();
  for (let i = 0; i < data.length; i++) {
    for (const k of kinks) {
      if (Math.abs(data[i] - k) < margin) data[i] = k + (data[i] < k ? -2 : 2) * margin;
    }
  }
  return t;
}
