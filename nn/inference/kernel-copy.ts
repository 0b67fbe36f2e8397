/**
 * A copy of a parameter that lives where the kernels read it: on the wasm backend, in the wasm
 * memory (base/dtype.ts allocateForKernels), so that an inference call does not copy the weights in
 * each time — for the small CNN at batch 1, the first Linear's 0.8 MB weight was the largest cost
 * outside the kernels. Parameters themselves stay ordinary arrays (docs/kernels.md says why).
 *
 * Like the batch-norm fold (conv-batchnorm-fold.ts), the copy is refreshed when its source is
 * replaced or written in place (its version counter: an optimizer step, loadStateDict, `storage`
 * writes — not writes through `.data`, which no counter sees). Only the inference path (no
 * gradients) reads it, and nothing hands it to a user.
 */
import { allocateForKernels } from '../../base/dtype';
import { Tensor } from '../../lib/tensor';
import { sameShape } from '../../base/shape';

export class KernelCopy {
  private source: Tensor | null = null;
  private version = -1;
  private copy: Tensor | null = null;

  /** `transposed`: the copy of a 2-D tensor [r, c] is its transpose [c, r] (a Linear's weight, read row by row at batch 1). */
  constructor(private readonly transposed = false) {}

  /** `tensor`'s numbers in a tensor of the kernels' own, copied again only when `tensor` changed. */
  of(tensor: Tensor): Tensor {
    if (tensor === this.source && tensor._version === this.version && this.copy) return this.copy;
    const shape = this.transposed ? [tensor.shape[1], tensor.shape[0]] : tensor.shape;
    if (this.copy?.dtype !== tensor.dtype || !sameShape(this.copy.shape, shape)) {
      this.copy = Tensor.fromData(allocateForKernels(tensor.dtype, tensor.numel), shape);
    }
    this.copy.writableStorage().set((this.transposed ? tensor.transpose(0, 1) : tensor).values());
    this.source = tensor;
    this.version = tensor._version;
    return this.copy;
  }
}
