/**
 * linear(x, weight, bias?) = x·Wᵀ + b, with PyTorch's weight layout [out, in] and x of shape
 * [..., in]. The leading dims of x are stacked into rows, so one GEMM does the whole batch:
 *   dX = dY·W;   dW = dYᵀ·X (summed over every row);   db = Σ_rows dY.
 * The first-order backward calls the GEMM on raw arrays (transposes for free); with createGraph
 * the same three products are matmul, transpose and sum, which are differentiable again.
 */
import { Tensor } from '../tensor';
import { defineOp } from '../define-op';
import { type DType, allocate, allocateUnfilled, promote } from '../../base/dtype';
import { type Shape, formatShape, sameShape, sizeOf } from '../../base/shape';
import { gemm } from '../../kernels/gemm';
import { reshape, transpose } from './views';
import { matmul } from './matmul';
import { sum } from './reductions';
import { isGradEnabled } from '../grad-mode';

function checkOperands(x: Tensor, weight: Tensor, bias: Tensor | undefined): void {
  if (weight.ndim !== 2) throw new RangeError(`linear: weight must be 2-D [out, in], got shape ${formatShape(weight.shape)}`);
  const [outFeatures, inFeatures] = weight.shape;
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== inFeatures) {
    throw new RangeError(
      `linear: input of shape ${formatShape(x.shape)} must end in ${inFeatures} features to match weight ${formatShape(weight.shape)} ([out, in])`,
    );
  }
  if (bias && !sameShape(bias.shape, [outFeatures])) {
    throw new RangeError(
      `linear: bias of shape ${formatShape(bias.shape)} must be [${outFeatures}] to match weight ${formatShape(weight.shape)}`,
    );
  }
}

/** op(A)·op(B) for row-major operands (transposes are free: the GEMM packs them), as a tensor of `shape`. */
function product(
  a: Tensor,
  transA: boolean,
  b: Tensor,
  transB: boolean,
  m: number,
  k: number,
  n: number,
  dtype: DType,
  shape: Shape,
): Tensor {
  const c = allocateUnfilled(dtype, m * n); // the GEMM writes all of it
  gemm({ m, n, k, a: a.values(), transA, b: b.values(), transB, c });
  return Tensor.fromData(c, shape);
}

/**
 * x·Wᵀ + b as a new tensor (no graph): the rows of x stacked, the bias copied into each row and the
 * product added onto it in one GEMM. `weights` holds W as [out, in], PyTorch's layout, or, when
 * `transposed`, Wᵀ as [in, out] — the inference path's copy (nn/inference), whose rows a one-row
 * product reads where they lie; the sums, and so the values, are the same either way.
 */
function affine(x: Tensor, weights: Tensor, transposed: boolean, bias: Tensor | undefined): Tensor {
  const [outFeatures, inFeatures] = transposed ? [weights.shape[1], weights.shape[0]] : weights.shape;
  const rows = sizeOf(x.shape.slice(0, -1));
  const dtype = promote(promote(x.dtype, weights.dtype), bias?.dtype ?? x.dtype);
  // With a bias every row is written before the GEMM adds onto it; without one it adds onto zeros.
  const out = bias ? allocateUnfilled(dtype, rows * outFeatures) : allocate(dtype, rows * outFeatures);
  if (bias) {
    const b = bias.values();
    for (let r = 0; r < rows; r++) out.set(b, r * outFeatures);
  }
  gemm({
    m: rows,
    n: outFeatures,
    k: inFeatures,
    a: x.values(),
    b: weights.values(),
    transB: !transposed,
    c: out,
    accumulate: true,
  });
  return Tensor.fromData(out, [...x.shape.slice(0, -1), outFeatures]);
}

/**
 * @internal linear(x, weight, bias) with gradients off, computed with `transposedWeight`, a copy of
 * weight as [in, out] (nn/inference/sequential-inference.ts keeps one): the same values.
 */
export function linearWithTransposedWeight(x: Tensor, weight: Tensor, transposedWeight: Tensor, bias?: Tensor): Tensor {
  checkOperands(x, weight, bias);
  if (!sameShape(transposedWeight.shape, [weight.shape[1], weight.shape[0]])) {
    throw new RangeError(
      `linear: the transposed weight must be ${formatShape([weight.shape[1], weight.shape[0]])}, got ${formatShape(transposedWeight.shape)}`,
    );
  }
  return affine(x, transposedWeight, true, bias);
}

export const linear = defineOp({
  name: 'linear',
  forward: (x: Tensor, weight: Tensor, bias?: Tensor) => {
    checkOperands(x, weight, bias);
    const rows = sizeOf(x.shape.slice(0, -1));
    return { output: affine(x, weight, false, bias), saved: { x, weight, rows } };
  },
  backward: ({ x, weight, rows }, g, needs) => {
    const [outFeatures, inFeatures] = weight.shape;
    const gradRows = reshape(g, [rows, outFeatures]);
    if (isGradEnabled()) {
      return [
        needs[0] ? reshape(matmul(gradRows, weight), x.shape) : null,
        needs[1] ? matmul(transpose(gradRows, 0, 1), reshape(x, [rows, inFeatures])) : null,
        needs[2] ? sum(gradRows, 0) : null,
      ];
    }
    const biasGrad = (): Tensor => {
      const values = gradRows.values();
      const out = allocate(g.dtype, outFeatures);
      for (let r = 0; r < rows; r++) for (let j = 0; j < outFeatures; j++) out[j] += values[r * outFeatures + j];
      return Tensor.fromData(out, [outFeatures]);
    };
    return [
      needs[0] ? product(gradRows, false, weight, false, rows, outFeatures, inFeatures, g.dtype, x.shape) : null,
      needs[1] ? product(gradRows, true, x, false, outFeatures, rows, inFeatures, g.dtype, weight.shape) : null,
      needs[2] ? biasGrad() : null,
    ];
  },
});
