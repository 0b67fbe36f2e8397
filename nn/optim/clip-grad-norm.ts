/**
 * clipGradNorm: if the global L2 norm of all gradients exceeds maxNorm, scale every gradient by
 * maxNorm / (norm + 1e-6), as torch.nn.utils.clip_grad_norm_. Returns the norm before clipping.
 * A non-finite norm is an error (PyTorch's error_if_nonfinite), so a NaN never spreads silently.
 */
import type { Tensor } from '../../lib/tensor';
import { checkNonNegative } from '../../lib/validate';

export function clipGradNorm(params: Iterable<Tensor>, maxNorm: number): number {
  checkNonNegative('clipGradNorm', 'maxNorm', maxNorm);
  const grads = [...params].map((p) => p.grad).filter((g): g is Tensor => g !== null);
  let squares = 0;
  for (const g of grads) for (const v of g.values()) squares += v * v;
  const norm = Math.sqrt(squares);
  if (!Number.isFinite(norm))
    throw new RangeError(`clipGradNorm: the total gradient norm is ${norm}; refusing to clip non-finite gradients`);
  const scale = maxNorm / (norm + 1e-6);
  if (scale < 1) {
    for (const g of grads) {
      const data = g.writableStorage(); // leaf grads are fresh contiguous tensors, safe to scale in place
      for (let k = 0; k < data.length; k++) data[k] *= scale;
    }
  }
  return norm;
}
