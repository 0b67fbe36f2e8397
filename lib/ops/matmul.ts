/**
 * matmul(a, b) with PyTorch semantics: 1-D·1-D is a dot product; a 1-D left operand is treated
 * as a row [1,k] and a 1-D right operand as a column [k,1], the added dim removed from the
 * result; beyond 2-D, the leading (batch) dims broadcast against each other.
 *   C = A·B;   dA = dC·Bᵀ,   dB = Aᵀ·dC,   each summed over the batch dims its operand was broadcast along
 * (written with matmul itself, so differentiable again).
 */
import { Tensor } from '../tensor';
import { defineOp } from '../define-op';
import { allocate, promote } from '../../base/dtype';
import { gemm } from '../../kernels/gemm';
import { broadcastShapes, formatShape, sizeOf } from '../../base/shape';
import { forEachBroadcast } from './elementwise';
import { reshape, sumToShape, transpose, unsqueeze } from './views';

/** [...batchA, m, k] · [...batchB, k, n] → [...broadcast(batchA, batchB), m, n]. */
function batchedProduct(a: Tensor, b: Tensor): Tensor {
  const [m, k] = a.shape.slice(-2);
  const n = b.shape[b.ndim - 1];
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const batch = broadcastShapes(batchA, batchB, 'matmul');
  const dataA = a.values();
  const dataB = b.values();
  const out = allocate(promote(a.dtype, b.dtype), sizeOf(batch) * m * n);
  forEachBroadcast(batchA, batchB, batch, (o, ia, ib) =>
    gemm({ m, n, k, a: dataA, aOffset: ia * m * k, b: dataB, bOffset: ib * k * n, c: out, cOffset: o * m * n }),
  );
  return Tensor.fromData(out, [...batch, m, n]);
}

function checkOperands(a: Tensor, b: Tensor): void {
  if (a.ndim === 0 || b.ndim === 0) {
    throw new RangeError(
      `matmul: both arguments need at least 1 dimension, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  const inner = b.ndim === 1 ? b.shape[0] : b.shape[b.ndim - 2];
  if (a.shape[a.ndim - 1] !== inner) {
    throw new RangeError(`matmul: cannot multiply ${formatShape(a.shape)} by ${formatShape(b.shape)}`);
  }
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  try {
    broadcastShapes(batchA, batchB, 'matmul');
  } catch {
    throw new RangeError(
      `matmul: batch dims ${formatShape(batchA)} of ${formatShape(a.shape)} and ${formatShape(batchB)} of ${formatShape(b.shape)} cannot be broadcast together`,
    );
  }
}

/** The operands as matrices (or stacks of them): a 1-D left one as a row, a 1-D right one as a column. */
function asMatrices(a: Tensor, b: Tensor): { rows: Tensor; columns: Tensor } {
  return { rows: a.ndim === 1 ? unsqueeze(a, 0) : a, columns: b.ndim === 1 ? unsqueeze(b, 1) : b };
}

export const matmul: (a: Tensor, b: Tensor) => Tensor = defineOp({
  name: 'matmul',
  forward: (a: Tensor, b: Tensor) => {
    checkOperands(a, b);
    const { rows, columns } = asMatrices(a, b);
    const product = batchedProduct(rows, columns);
    const shape = product.shape;
    const [m, n] = shape.splice(-2);
    if (a.ndim > 1) shape.push(m);
    if (b.ndim > 1) shape.push(n);
    return { output: reshape(product, shape), saved: { a, b, productShape: product.shape } };
  },
  backward: ({ a, b, productShape }, g, needs) => {
    // The matrices are made again from a and b, so that with createGraph they hang off the graph.
    const { rows, columns } = asMatrices(a, b);
    const gradProduct = reshape(g, productShape);
    return [
      needs[0] ? reshape(sumToShape(matmul(gradProduct, transpose(columns, -2, -1)), rows.shape), a.shape) : null,
      needs[1] ? reshape(sumToShape(matmul(transpose(rows, -2, -1), gradProduct), columns.shape), b.shape) : null,
    ];
  },
});
