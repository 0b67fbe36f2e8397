/** nn.Flatten: merges dims startDim..endDim (default 1..-1, keeping the batch dim), as PyTorch's. */
import type { Tensor } from '../lib/tensor';
import { flatten } from '../lib/ops/views';
import { Module } from './module';

export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }

  override forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }
}
