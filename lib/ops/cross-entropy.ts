/**
 * crossEntropy, with PyTorch's reductions ('mean' | 'sum' | 'none'), is one fused op rather than
 * logSoftmax followed by a gather: every kind of target (class indices, probabilities, label
 * smoothing, class weights, ignored items) becomes a weighted target q over the classes of each
 * item (cross-entropy-targets.ts), and then
 *
 *   loss_n = −Σ_c q[n,c] · log p[n,c]        with p = softmax(logits[n])
 *   dloss_n/dlogits[n,c] = (Σ_c' q[n,c']) · p[n,c] − q[n,c]
 *
 * which is the familiar p − onehot(y) when q is a one-hot (then Σq = 1).
 *
 * Its first-order backward is a loop over what the forward kept; with createGraph the same formulas
 * are written in differentiable ops (crossEntropyGradientsInOps), so the gradients can be
 * differentiated again, w.r.t. the logits, the targets and the gradOutput.
 */
import { Tensor } from '../tensor';
import { defineOp } from '../define-op';
import { allocate } from '../../base/dtype';
import { formatShape, sameShape } from '../../base/shape';
import { checkInteger, checkOptions, optionKeys } from '../validate';
import { forEachLane, lanesAlong, logSoftmaxInto } from './softmax';
import { isGradEnabled } from '../grad-mode';
import { type Reduction, checkReduction, itemGradients, reduceItems } from './loss-reduction';
import { type TargetSpec, indexTargets, probabilityTargets } from './cross-entropy-targets';
import { type CrossEntropySaved, crossEntropyGradientsInOps } from './cross-entropy-graph-backward';

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
    const weights = weight?.values();
    const spec: TargetSpec = { lanes, smoothing: labelSmoothing, classWeight: weights ? (c) => weights[c] : () => 1 };
    const q = new Float64Array(logits.numel);
    const t = targets.values();
    const ignored = new Uint8Array(lanes.outer * lanes.inner);
    const divisor = soft ? probabilityTargets(t, spec, q) : indexTargets(t, spec, ignoreIndex, q, ignored);

    const logp = new Float64Array(logits.numel);
    logSoftmaxInto(logits.values(), logp, lanes);
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
