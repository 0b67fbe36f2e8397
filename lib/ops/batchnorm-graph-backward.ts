/**
 * batchNorm's backward written in Tensor ops: what its backward runs under createGraph, so that
 * batch norm is twice differentiable (first order keeps the kernels). Per channel, over its M = N·S
 * values, with x̂ = (x − μ)·σ⁻¹ and σ = sqrt(var + eps):
 *   running statistics (μ, σ constants):      gx = γσ⁻¹ · gy
 *   batch statistics (μ, σ functions of x):   gx = γσ⁻¹ · (gy − mean(gy) − x̂ · mean(gy·x̂))
 *   both:                                     gγ = Σ gy·x̂,   gβ = Σ gy
 * With batch statistics x̂, μ and σ are recomputed from x in ops, so differentiating these formulas
 * gives every term PyTorch's batchnorm_double_backward writes out by hand (gx through μ and σ,
 * gγ through x̂, gx through γ). With eps = 0 a constant channel has σ = 0, where the kernels take σ⁻¹
 * as 0 and these formulas divide by zero: refused, by channel, rather than a graph of NaN.
 */
import type { Tensor } from '../tensor';
import type { DType } from '../../base/dtype';
import { add, mul, pow, sub } from './arithmetic';
import { fromFloat64, mean, sum } from './reductions';
import { reshape } from './views';

/** What the graph backward needs of a batchNorm forward. */
export interface BatchNormGraphInputs {
  input: Tensor;
  weight: Tensor | null;
  eps: number;
  usedBatchStats: boolean;
  /** The running statistics used, when usedBatchStats is false: constants of the graph. */
  mean: Float64Array;
  invStd: Float64Array;
  dtype: DType;
}

/** [dx, dweight, dbias] as graph tensors (null where not needed). */
export function batchNormGradientsInOps(
  saved: BatchNormGraphInputs,
  gradOutput: Tensor,
  needs: { x: boolean; weight: boolean; bias: boolean },
): [Tensor | null, Tensor | null, Tensor | null] {
  const { input: x, weight, eps, usedBatchStats } = saved;
  const flatChannel = usedBatchStats ? saved.invStd.indexOf(0) : -1;
  if (flatChannel >= 0) {
    throw new Error(
      `batchNorm: double backward through channel ${flatChannel}, constant with eps = 0 (σ = 0), is not supported (first order takes σ⁻¹ as 0 there; pass eps > 0)`,
    );
  }
  const channels = x.shape[1];
  const perChannelShape = x.shape.map((d, i) => (i === 1 ? d : 1));
  const dims = x.shape.map((_, i) => i).filter((i) => i !== 1);
  const constant = (values: Float64Array): Tensor => fromFloat64(values, saved.dtype, perChannelShape);
  let centered: Tensor;
  let invStd: Tensor;
  if (usedBatchStats) {
    centered = sub(x, mean(x, dims, true));
    invStd = pow(add(mean(mul(centered, centered), dims, true), eps), -0.5);
  } else {
    centered = sub(x, constant(saved.mean));
    invStd = constant(saved.invStd);
  }
  const normalized = mul(centered, invStd);
  let dx: Tensor | null = null;
  if (needs.x) {
    const gain = weight === null ? invStd : mul(reshape(weight, perChannelShape), invStd);
    const projected = usedBatchStats
      ? sub(sub(gradOutput, mean(gradOutput, dims, true)), mul(normalized, mean(mul(gradOutput, normalized), dims, true)))
      : gradOutput;
    dx = mul(gain, projected);
  }
  return [
    dx,
    needs.weight ? reshape(sum(mul(gradOutput, normalized), dims), [channels]) : null,
    needs.bias ? reshape(sum(gradOutput, dims), [channels]) : null,
  ];
}
