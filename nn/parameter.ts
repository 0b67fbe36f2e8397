/** A Parameter is a Tensor that a Module owns and an optimizer updates; it requires grad by default. */
import { Tensor } from '../lib/tensor';

export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    super(data.contiguousStorage().nd, requiresGrad);
  }
}
