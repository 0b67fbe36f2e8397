/** A Parameter is a Tensor that a Module owns and an optimizer updates; it requires grad by default. */
import { type StridedView, Tensor } from '../lib/tensor';

export class Parameter extends Tensor {
  /** A parameter over `data`'s numbers: shared when `data` is contiguous, else a row-major copy. */
  constructor(data: Tensor, requiresGrad = true) {
    super(rowMajor(data), requiresGrad);
  }
}

function rowMajor(data: Tensor): StridedView {
  const values = data.contiguousStorage();
  return { data: values.writableStorage(), shape: values.shape, stride: values.strides, offset: 0 };
}
