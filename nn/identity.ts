/** nn.Identity: returns its input; a placeholder where a layer is optional (e.g. a shortcut). */
import type { Tensor } from '../lib/tensor';
import { Module } from './module';

export class Identity extends Module {
  override forward(x: Tensor): Tensor {
    return x;
  }
}
