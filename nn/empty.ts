/** An uninitialised (zero-filled) tensor for a layer's initialiser to overwrite. */
import { Tensor } from '../lib/tensor';
import { type DType, allocate } from '../base/dtype';
import { type Shape, sizeOf } from '../base/shape';

export function empty(shape: Shape, dtype: DType): Tensor {
  return Tensor.fromData(allocate(dtype, sizeOf(shape)), shape);
}
