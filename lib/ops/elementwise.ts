/**
 * The loops behind every elementwise op: apply a scalar function over one tensor, or over two
 * tensors broadcast against each other, and `sumOverBroadcastDims`, which undoes broadcasting
 * (a value broadcast to many outputs receives the sum of their gradients; the op is sumToShape).
 */
import { Tensor } from '../tensor';
import { type DType, allocate, promote } from '../../base/dtype';
import { type Shape, broadcastShapes, broadcastStrides, sameShape, sizeOf } from '../../base/shape';
import { full } from '../creation';

export type TensorLike = Tensor | number;

/** Turns a number operand into a 0-d tensor of the other operand's dtype. */
export function asTensor(value: TensorLike, dtype: DType = 'float64'): Tensor {
  return value instanceof Tensor ? value : full([], value, { dtype });
}

export function mapUnary(x: Tensor, f: (v: number) => number): Tensor {
  const src = x.values();
  const out = allocate(x.dtype, src.length);
  for (let i = 0; i < src.length; i++) out[i] = f(src[i]);
  return Tensor.fromData(out, x.shape);
}

/** Calls visit(outIndex, aIndex, bIndex) for every element of the broadcast shape. */
export function forEachBroadcast(aShape: Shape, bShape: Shape, outShape: Shape, visit: (o: number, ia: number, ib: number) => void): void {
  const total = sizeOf(outShape);
  if (total === 0) return;
  const rank = outShape.length;
  const sa = broadcastStrides(aShape, outShape);
  const sb = broadcastStrides(bShape, outShape);
  const counter = new Array<number>(rank).fill(0);
  let ia = 0;
  let ib = 0;
  for (let o = 0; o < total; o++) {
    visit(o, ia, ib);
    // Odometer increment: bump the last dim, carrying into earlier dims.
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]++;
      ia += sa[d];
      ib += sb[d];
      if (counter[d] < outShape[d]) break;
      ia -= sa[d] * outShape[d];
      ib -= sb[d] * outShape[d];
      counter[d] = 0;
    }
  }
}

export function mapBinary(a: Tensor, b: Tensor, f: (x: number, y: number) => number, op: string): Tensor {
  const shape = broadcastShapes(a.shape, b.shape, op);
  const da = a.values();
  const db = b.values();
  const out = allocate(promote(a.dtype, b.dtype), sizeOf(shape));
  if (sameShape(a.shape, b.shape)) {
    for (let i = 0; i < out.length; i++) out[i] = f(da[i], db[i]);
  } else if (b.numel === 1) {
    const y = db[0];
    for (let i = 0; i < out.length; i++) out[i] = f(da[i], y);
  } else {
    forEachBroadcast(a.shape, b.shape, shape, (o, ia, ib) => {
      out[o] = f(da[ia], db[ib]);
    });
  }
  return Tensor.fromData(out, shape);
}

/** Sums `grad` over the dims along which a tensor of `shape` was broadcast, giving `shape` back. */
export function sumOverBroadcastDims(grad: Tensor, shape: Shape): Tensor {
  if (sameShape(grad.shape, shape)) return grad;
  const src = grad.values();
  const out = allocate(grad.dtype, sizeOf(shape));
  forEachBroadcast(shape, shape, grad.shape, (o, i) => {
    out[i] += src[o];
  });
  return Tensor.fromData(out, shape);
}
