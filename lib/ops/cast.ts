/**
 * cast(x, dtype): x's values in another float type (PyTorch's x.to(dtype)); x itself when it
 * already has that dtype. The engine uses it to hand each tensor its gradient in its own dtype
 * with createGraph on, where the conversion must stay in the graph.
 *   dX = cast(dY, dtype(X))
 */
import { Tensor } from '../tensor';
import { defineOp } from '../define-op';
import { type DType, allocate } from '../../base/dtype';

export const cast: (x: Tensor, dtype: DType) => Tensor = defineOp({
  name: 'cast',
  forward: (x: Tensor, dtype: DType) => {
    if (x.dtype === dtype) return { output: x, saved: x.dtype };
    const out = allocate(dtype, x.numel);
    out.set(x.values());
    return { output: Tensor.fromData(out, x.shape), saved: x.dtype };
  },
  backward: (inputDType, g) => [cast(g, inputDType)],
});
