/** nn.Flatten: merges dims startDim..endDim (default 1..-1, keeping the batch dim), as PyTorch's. */
import type { Tensor } from '../lib/tensor';
import { flatten } from '../lib/ops/views';
import { Module } from './module';
import { checkInteger } from '../lib/validate';

export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
    // The range depends on the input's rank, checked by flatten at forward; the type cannot wait.
    checkInteger('Flatten', 'startDim', startDim);
    checkInteger('Flatten', 'endDim', endDim);
  }

  override forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }
}
