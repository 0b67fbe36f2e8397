/**
 * crossEntropy and mseLoss, with PyTorch's reductions ('mean' | 'sum' | 'none').
 *
 * crossEntropy is one fused op rather than logSoftmax followed by a gather: every kind of target
 * (class indices, probabilities, label smoothing, class weights, ignored items) becomes a weighted
 * target q over the classes of each item, and then
 *
 *   loss_n = −Σ_c q[n,c] · log p[n,c]        with p = softmax(logits[n])
 *   dloss_n/dlogits[n,c] = (Σ_c' q[n,c']) · p[n,c] − q[n,c]
 *
 * which is the familiar p − onehot(y) when q is a one-hot (then Σq = 1).
 *
 * Both losses' first-order backwards are loops over what the forward kept; with createGraph the
 * same formulas are written in differentiable ops (crossEntropyGradientsInOps, and inline for
 * mseLoss), so the gradients can be differentiated again, w.r.t. the logits (or input), the
 * targets and the gradOutput.
 */
import { Tensor } from '../tensor';
import { defineOp } from '../define-op';
import { type DType, type TypedArray, allocate } from '../../base/dtype';
import { formatShape, sameShape } from '../../base/shape';
import { checkInteger, checkOptions, optionKeys } from '../validate';
import { type Lanes, forEachLane, lanesAlong, logSoftmaxInto } from './softmax';
import { fromFloat64, sum } from './reductions';
import { isGradEnabled } from '../grad-mode';
import { add, div, mul, sub } from './arithmetic';
import { exp } from './unary';
import { logSoftmax } from './softmax';
import { where } from './where';
import { reshape, unsqueeze } from './views';

export type Reduction = 'mean' | 'sum' | 'none';

const REDUCTIONS: readonly Reduction[] = ['mean', 'sum', 'none'];

function checkReduction(reduction: Reduction, op: string): void {
  if (!REDUCTIONS.includes(reduction)) {
    throw new RangeError(`${op}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`);
  }
}

/** Reduces per-item losses as asked; 'mean' divides by `divisor`. */
function reduceItems(losses: Float64Array, itemShape: number[], reduction: Reduction, divisor: number, dtype: DType): Tensor {
  if (reduction === 'none') return fromFloat64(losses, dtype, itemShape);
  let total = 0;
  for (let i = 0; i < losses.length; i++) total += losses[i];
  return fromFloat64(Float64Array.of(reduction === 'mean' ? total / divisor : total), dtype, []);
}

/** dL/d(loss of item i) for every item, from the gradient of the reduced output. */
function itemGradients(g: Tensor, items: number, reduction: Reduction, divisor: number): TypedArray {
  const gd = g.contiguousData();
  if (reduction === 'none') return gd;
  return new Float64Array(items).fill(reduction === 'mean' ? gd[0] / divisor : gd[0]);
}

export interface CrossEntropyOptions {
  reduction?: Reduction;
  /** ε in [0, 1]: the target becomes (1 − ε)·target + ε/C. */
  labelSmoothing?: number;
  /** Items whose class index equals this contribute no loss and no gradient (default −100, as PyTorch). */
  ignoreIndex?: number;
  /** Per-class rescaling, shape [C]. It is a constant: no gradient flows into it. */
  weight?: Tensor;
}
const crossEntropyOptionKeys = optionKeys<CrossEntropyOptions>({ reduction: true, labelSmoothing: true, ignoreIndex: true, weight: true });

interface TargetSpec {
  lanes: Lanes;
  smoothing: number;
  classWeight: (c: number) => number;
}

/**
 * Probability targets: q = w_c · ((1 − ε)·t + ε/C). Returns the 'mean' divisor, the item count
 * (PyTorch does not normalize by the weights here).
 */
function probabilityTargets(t: TypedArray, { lanes, smoothing, classWeight }: TargetSpec, q: Float64Array): number {
  const uniform = smoothing / lanes.size;
  forEachLane(lanes, (_, first, stride, end) => {
    for (let i = first, c = 0; i < end; i += stride, c++) q[i] = classWeight(c) * ((1 - smoothing) * t[i] + uniform);
  });
  return lanes.outer * lanes.inner;
}

/**
 * Class-index targets: q = (1 − ε)·w_y·onehot(y) + (ε/C)·w, and q = 0 for ignored items, which are
 * marked in `ignored`. Returns the 'mean' divisor, Σ w_y over the items kept (their count when
 * unweighted), as PyTorch.
 */
function indexTargets(
  t: TypedArray,
  { lanes, smoothing, classWeight }: TargetSpec,
  ignoreIndex: number,
  q: Float64Array,
  ignored: Uint8Array,
): number {
  const classes = lanes.size;
  let divisor = 0;
  forEachLane(lanes, (item, first, stride, end) => {
    const y = t[item];
    if (y === ignoreIndex) {
      ignored[item] = 1;
      return;
    }
    if (!Number.isInteger(y)) throw new RangeError(`crossEntropy: target ${y} at index ${item} is not an integer class index`);
    if (y < 0 || y >= classes) {
      throw new RangeError(
        `crossEntropy: target ${y} at index ${item} is out of range for ${classes} classes (expected 0..${classes - 1})`,
      );
    }
    for (let i = first, c = 0; i < end; i += stride, c++) q[i] = (smoothing / classes) * classWeight(c);
    q[first + y * stride] += (1 - smoothing) * classWeight(y);
    divisor += classWeight(y);
  });
  return divisor;
}

/** What crossEntropy's forward keeps for backward. */
interface CrossEntropySaved {
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
function crossEntropyGradientsInOps(s: CrossEntropySaved, g: Tensor, needs: readonly boolean[]): [Tensor | null, Tensor | null] {
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

/** See the file comment for the loss and its derivative. */
export const crossEntropy = defineOp({
  name: 'crossEntropy',
  forward: (logits: Tensor, targets: Tensor, options: CrossEntropyOptions = {}) => {
    checkOptions('crossEntropy', options, crossEntropyOptionKeys);
    const { reduction = 'mean', labelSmoothing = 0, ignoreIndex = -100, weight } = options;
    checkReduction(reduction, 'crossEntropy');
    if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
      throw new RangeError(`crossEntropy: labelSmoothing must be in [0, 1], got ${labelSmoothing}`);
    }
    // A fractional ignoreIndex would never equal a (validated, integer) target: refuse it rather than ignore nothing.
    checkInteger('crossEntropy', 'ignoreIndex', ignoreIndex);
    if (logits.ndim < 2) {
      throw new RangeError(`crossEntropy: logits must have shape [N,C] or [N,C,d1,...], got ${formatShape(logits.shape)}`);
    }
    const classes = logits.shape[1];
    const itemShape = [logits.shape[0], ...logits.shape.slice(2)];
    const soft = sameShape(targets.shape, logits.shape);
    if (!soft && !sameShape(targets.shape, itemShape)) {
      throw new RangeError(
        `crossEntropy: targets of shape ${formatShape(targets.shape)} fit logits of shape ${formatShape(logits.shape)} neither as class indices (expected ${formatShape(itemShape)}) nor as probabilities (expected ${formatShape(logits.shape)})`,
      );
    }
    if (weight && !sameShape(weight.shape, [classes])) {
      throw new RangeError(
        `crossEntropy: weight has shape ${formatShape(weight.shape)}, expected ${formatShape([classes])} (one per class)`,
      );
    }
    if (soft && ignoreIndex >= 0) {
      throw new RangeError(`crossEntropy: ignoreIndex ${ignoreIndex} applies only to class-index targets, not to probability targets`);
    }

    const lanes = lanesAlong(logits.shape, 1);
    const weights = weight?.contiguousData();
    const spec: TargetSpec = { lanes, smoothing: labelSmoothing, classWeight: weights ? (c) => weights[c] : () => 1 };
    const q = new Float64Array(logits.numel);
    const t = targets.contiguousData();
    const ignored = new Uint8Array(lanes.outer * lanes.inner);
    const divisor = soft ? probabilityTargets(t, spec, q) : indexTargets(t, spec, ignoreIndex, q, ignored);

    const logp = new Float64Array(logits.numel);
    logSoftmaxInto(logits.contiguousData(), logp, lanes);
    const losses = new Float64Array(lanes.outer * lanes.inner);
    const mass = new Float64Array(losses.length);
    forEachLane(lanes, (item, first, stride, end) => {
      let loss = 0;
      let total = 0;
      for (let i = first; i < end; i += stride) {
        // Skipping q = 0 keeps a −∞ logit of an untargeted class from turning 0·(−∞) into NaN.
        if (q[i] === 0) continue;
        loss -= q[i] * logp[i];
        total += q[i];
      }
      losses[item] = loss;
      mass[item] = total;
    });
    const output = reduceItems(losses, itemShape, reduction, divisor, logits.dtype);
    const saved: CrossEntropySaved = {
      logits,
      targets,
      weight,
      logp,
      q,
      mass,
      ignored,
      lanes,
      reduction,
      divisor,
      spec,
      soft,
      shape: logits.shape,
      dtypes: [logits.dtype, targets.dtype],
    };
    return { output, saved };
  },
  backward: (s, g, needsGrad) => {
    if (isGradEnabled()) return crossEntropyGradientsInOps(s, g, needsGrad);
    const scale = itemGradients(g, s.mass.length, s.reduction, s.divisor);
    const { logp, q, mass, ignored, lanes, spec, shape, dtypes } = s;
    let dLogits: Tensor | null = null;
    if (needsGrad[0]) {
      const dx = allocate(dtypes[0], logp.length);
      forEachLane(lanes, (item, first, stride, end) => {
        // An ignored item's gradient is 0, as PyTorch, even when every item is ignored and the
        // 'mean' scale 1/0 is infinite (0·∞ would be NaN).
        if (ignored[item]) return;
        for (let i = first; i < end; i += stride) dx[i] = scale[item] * (mass[item] * Math.exp(logp[i]) - q[i]);
      });
      dLogits = Tensor.fromData(dx, shape);
    }
    // Only probability targets are differentiable: dloss_n/dt[n,c] = −(1 − ε)·w_c·log p[n,c].
    let dTargets: Tensor | null = null;
    if (needsGrad[1] && s.soft) {
      const dt = allocate(dtypes[1], logp.length);
      forEachLane(lanes, (item, first, stride, end) => {
        for (let i = first, c = 0; i < end; i += stride, c++) dt[i] = -scale[item] * (1 - spec.smoothing) * spec.classWeight(c) * logp[i];
      });
      dTargets = Tensor.fromData(dt, shape);
    }
    return [dLogits, dTargets];
  },
});

export interface MseLossOptions {
  reduction?: Reduction;
}
const mseLossOptionKeys = optionKeys<MseLossOptions>({ reduction: true });

/** loss = (x − t)², reduced;  dloss/dx = 2(x − t), dloss/dt = −2(x − t) (times 1/n for 'mean'). */
export const mseLoss = defineOp({
  name: 'mseLoss',
  forward: (input: Tensor, target: Tensor, options: MseLossOptions = {}) => {
    checkOptions('mseLoss', options, mseLossOptionKeys);
    const { reduction = 'mean' } = options;
    checkReduction(reduction, 'mseLoss');
    if (!sameShape(input.shape, target.shape)) {
      throw new RangeError(`mseLoss: input shape ${formatShape(input.shape)} and target shape ${formatShape(target.shape)} differ`);
    }
    const x = input.contiguousData();
    const t = target.contiguousData();
    const diff = new Float64Array(x.length);
    const squares = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      diff[i] = x[i] - t[i];
      squares[i] = diff[i] * diff[i];
    }
    const output = reduceItems(squares, input.shape, reduction, x.length, input.dtype);
    return { output, saved: { input, target, diff, reduction, shape: input.shape, dtypes: [input.dtype, target.dtype] } };
  },
  backward: ({ input, target, diff, reduction, shape, dtypes }, g, needsGrad) => {
    if (isGradEnabled()) {
      // dinput = 2·s·(x − t) with s = g, or g/n for 'mean'; dtarget is its negative.
      const twice = mul(mul(reduction === 'mean' ? div(g, diff.length) : g, 2), sub(input, target));
      return [needsGrad[0] ? twice : null, needsGrad[1] ? mul(twice, -1) : null];
    }
    const scale = itemGradients(g, diff.length, reduction, diff.length);
    const gradient = (dtype: DType, sign: number): Tensor => {
      const out = allocate(dtype, diff.length);
      for (let i = 0; i < out.length; i++) out[i] = 2 * sign * scale[i] * diff[i];
      return Tensor.fromData(out, shape);
    };
    return [needsGrad[0] ? gradient(dtypes[0], 1) : null, needsGrad[1] ? gradient(dtypes[1], -1) : null];
  },
});
