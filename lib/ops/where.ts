/**
 * where(condition, a, b): a where the condition is nonzero, b elsewhere, all three broadcast
 * together. A condition is a tensor of 0/1 (comparison results) — any nonzero counts as true.
 *   dA = dY ⊙ [cond] summed to shape(A);   dB = dY ⊙ [¬cond] summed to shape(B);   no gradient for cond.
 */
import { Tensor } from '../tensor';
import { defineOp } from '../define-op';
import { type DType, type TypedArray, allocate, promote } from '../dtype';
import { type Shape, broadcastShapes, formatShape } from '../shape';
import { type TensorLike, asTensor, sumToShape } from './elementwise';
import { expand } from './views';

function broadcastAll(condition: Tensor, a: Tensor, b: Tensor): number[] {
  try {
    return broadcastShapes(broadcastShapes(condition.shape, a.shape, 'where'), b.shape, 'where');
  } catch {
    throw new RangeError(
      `where: condition ${formatShape(condition.shape)}, a ${formatShape(a.shape)} and b ${formatShape(b.shape)} cannot be broadcast together`,
    );
  }
}

/** g where the mask is `keep` (true: nonzero), 0 elsewhere, summed back to `shape`. */
function maskedGradient(g: Tensor, mask: TypedArray, keep: boolean, shape: Shape): Tensor {
  const values = g.contiguousData();
  const out = allocate(g.dtype, values.length);
  for (let i = 0; i < values.length; i++) if ((mask[i] !== 0) === keep) out[i] = values[i];
  return sumToShape(Tensor.fromData(out, g.shape), shape);
}

export const where = defineOp({
  name: 'where',
  forward: (condition: Tensor, x: TensorLike, y: TensorLike) => {
    const dtypes = [x, y].filter((v): v is Tensor => v instanceof Tensor).map((t) => t.dtype);
    const dtype: DType = dtypes.length > 0 ? dtypes.reduce(promote) : 'float64';
    const a = asTensor(x, dtype);
    const b = asTensor(y, dtype);
    const shape = broadcastAll(condition, a, b);
    const mask = expand(condition, shape).contiguousData();
    const fromA = expand(a, shape).contiguousData();
    const fromB = expand(b, shape).contiguousData();
    const out = allocate(dtype, mask.length);
    for (let i = 0; i < out.length; i++) out[i] = mask[i] !== 0 ? fromA[i] : fromB[i];
    return { output: Tensor.fromData(out, shape), saved: { mask, aShape: a.shape, bShape: b.shape } };
  },
  backward: ({ mask, aShape, bShape }, g, needs) => [
    null,
    needs[1] ? maskedGradient(g, mask, true, aShape) : null,
    needs[2] ? maskedGradient(g, mask, false, bShape) : null,
  ],
});
