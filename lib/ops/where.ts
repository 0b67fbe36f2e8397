/**
 * where(condition, a, b): a where the condition is nonzero, b elsewhere, all three broadcast
 * together. A condition is a tensor of 0/1 (comparison results) — any nonzero counts as true.
 *   dA = where(cond, dY, 0) summed to shape(A);   dB = where(cond, 0, dY) summed to shape(B);   no gradient for cond.
 */
import { Tensor } from '../tensor';
import { defineOp } from '../define-op';
import { type DType, allocate, promote } from '../../base/dtype';
import { broadcastShapes, formatShape } from '../../base/shape';
import { type TensorLike, asTensor } from './elementwise';
import { expand, sumToShape } from './views';

function broadcastAll(condition: Tensor, a: Tensor, b: Tensor): number[] {
  try {
    return broadcastShapes(broadcastShapes(condition.shape, a.shape, 'where'), b.shape, 'where');
  } catch {
    throw new RangeError(
      `where: condition ${formatShape(condition.shape)}, a ${formatShape(a.shape)} and b ${formatShape(b.shape)} cannot be broadcast together`,
    );
  }
}

export const where: (condition: Tensor, x: TensorLike, y: TensorLike) => Tensor = defineOp({
  name: 'where',
  forward: (condition: Tensor, x: TensorLike, y: TensorLike) => {
    const dtypes = [x, y].filter((v): v is Tensor => v instanceof Tensor).map((t) => t.dtype);
    const dtype: DType = dtypes.length > 0 ? dtypes.reduce(promote) : 'float64';
    const a = asTensor(x, dtype);
    const b = asTensor(y, dtype);
    const shape = broadcastAll(condition, a, b);
    const mask = expand(condition, shape).values();
    const fromA = expand(a, shape).values();
    const fromB = expand(b, shape).values();
    const out = allocate(dtype, mask.length);
    for (let i = 0; i < out.length; i++) out[i] = mask[i] !== 0 ? fromA[i] : fromB[i];
    return { output: Tensor.fromData(out, shape), saved: { condition, aShape: a.shape, bShape: b.shape } };
  },
  backward: ({ condition, aShape, bShape }, g, needs) => [
    null,
    needs[1] ? sumToShape(where(condition, g, 0), aShape) : null,
    needs[2] ? sumToShape(where(condition, 0, g), bShape) : null,
  ],
});
