/**
 * crossEntropy's backward under createGraph: the first-order formulas (lib/ops/cross-entropy.ts)
 * written in differentiable ops, so the gradients can be differentiated again w.r.t. the logits,
 * the targets and the gradOutput.
 */
import { Tensor } from '../tensor';
import type { DType } from '../../base/dtype';
import type { Lanes } from './softmax';
import { logSoftmax } from './softmax';
import { sum } from './reductions';
import { add, div, mul, sub } from './arithmetic';
import { exp } from './unary';
import { where } from './where';
import { reshape, unsqueeze } from './views';
import type { Reduction } from './loss-reduction';
import type { TargetSpec } from './cross-entropy-targets';

/** What crossEntropy's forward keeps for backward. */
export interface CrossEntropySaved {
  logits: Tensor;
  targets: Tensor;
  weight: Tensor | undefined;
  logp: Float64Array;
  q: Float64Array;
  mass: Float64Array;
  ignored: Uint8Array;
  lanes: Lanes;
  reduction: Reduction;
  divisor: number;
  spec: TargetSpec;
  soft: boolean;
  shape: number[];
  dtypes: DType[];
}

/** dL/d(loss of item n), shaped [N, 1, d1, …] to broadcast over the classes, as an op of g. */
function itemScaleInOps(g: Tensor, reduction: Reduction, divisor: number): Tensor {
  if (reduction === 'none') return unsqueeze(g, 1);
  return reduction === 'mean' ? div(g, divisor) : g;
}

/**
 * crossEntropy's gradients in ops (createGraph): with p = exp(logSoftmax(logits)), s the item scale
 * and q the weighted target (a function of the targets when they are probabilities, else a constant),
 *   dlogits = s · (Σ_c q · p − q)  (0 for ignored items),   dtargets = −s · (1 − ε) · w · log p.
 */
export function crossEntropyGradientsInOps(s: CrossEntropySaved, g: Tensor, needs: readonly boolean[]): [Tensor | null, Tensor | null] {
  const { logits, targets, weight, lanes, spec, shape } = s;
  const logp = logSoftmax(logits, 1);
  const scale = itemScaleInOps(g, s.reduction, s.divisor);
  const classWeight =
    weight &&
    reshape(
      weight,
      shape.map((n, d) => (d === 1 ? n : 1)),
    );
  const weighted = (t: Tensor): Tensor => (classWeight ? mul(t, classWeight) : t);
  const q = s.soft ? weighted(add(mul(targets, 1 - spec.smoothing), spec.smoothing / lanes.size)) : Tensor.fromData(s.q, shape);
  const kept = Tensor.fromData(
    Float64Array.from(s.ignored, (i) => 1 - i),
    shape.map((n, d) => (d === 1 ? 1 : n)),
  );
  return [
    needs[0] ? where(kept, mul(scale, sub(mul(sum(q, 1, true), exp(logp)), q)), 0) : null,
    needs[1] && s.soft ? mul(mul(scale, -(1 - spec.smoothing)), weighted(logp)) : null,
  ];
}
