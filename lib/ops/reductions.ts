/**
 * sum, mean, max, min, var over one dim, several dims, or all of them (`dim` undefined).
 *
 * Every reduction starts from a ReductionPlan: the output element each input element folds into.
 * With it the forward passes are single loops over the input. The backward passes broadcast the
 * output gradient back over the reduced dims (expand), or scatter it to the chosen elements
 * (scatterAdd), in differentiable ops; var's loop has a createGraph twin in ops.
 *
 * max/min send the gradient to the *first* extreme element (row-major order within the reduced
 * block) — PyTorch does this for max(x, dim) but splits it evenly among ties for a full reduction;
 * we use "first" everywhere so the gradient is always that of one chosen element.
 */
import { Tensor } from '../tensor';
import { defineOp } from '../define-op';
import { isGradEnabled } from '../grad-mode';
import { div, mul, sub } from './arithmetic';
import { contiguous, expand, reshape } from './views';
import { scatterAdd } from './gather-scatter';
import { type DType, type TypedArray, allocate } from '../../base/dtype';
import { type Shape, formatShape, normalizeDims, sizeOf } from '../../base/shape';
import { forEachBroadcast } from './elementwise';
import { checkOptions, optionKeys } from '../validate';

export type Dims = number | readonly number[];

interface ReductionPlan {
  inShape: number[];
  outShape: number[];
  /** outShape with the reduced dims kept as 1 (what keepdim gives). */
  keptShape: number[];
  outSize: number;
  /** How many input elements fold into each output element. */
  count: number;
  /** For each input element (row-major), the output element it folds into. */
  outIndex: Int32Array;
}

function planReduction(shape: Shape, dim: Dims | undefined, keepdim: boolean, op: string): ReductionPlan {
  const dims = normalizeDims(dim, shape.length, op);
  const keptShape = shape.map((d, i) => (dims.includes(i) ? 1 : d));
  const outShape = keepdim ? keptShape : shape.filter((_, i) => !dims.includes(i));
  const count = dims.reduce((n, d) => n * shape[d], 1);
  const outIndex = new Int32Array(sizeOf(shape));
  forEachBroadcast(keptShape, keptShape, shape, (i, o) => {
    outIndex[i] = o;
  });
  return { inShape: shape.slice(), outShape, keptShape, outSize: sizeOf(keptShape), count, outIndex };
}

/** Accumulations run in float64; the result is stored in the input's dtype. */
export function fromFloat64(values: Float64Array, dtype: DType, shape: Shape): Tensor {
  return Tensor.fromData(dtype === 'float64' ? values : Float32Array.from(values), shape);
}

/** Per-output sums of the input, in float64. */
function sumByOutput(x: TypedArray, plan: ReductionPlan): Float64Array {
  const sums = new Float64Array(plan.outSize);
  const { outIndex } = plan;
  for (let i = 0; i < x.length; i++) sums[outIndex[i]] += x[i];
  return sums;
}

/** dx[i] = g[out(i)]: the output gradient broadcast back over the reduced dims, row-major. */
function broadcastBack(g: Tensor, plan: ReductionPlan): Tensor {
  return contiguous(expand(reshape(g, plan.keptShape), plan.inShape));
}

/** y = Σ x over dims;  dy/dx = 1 (the gradient is broadcast back unchanged). */
export const sum = defineOp({
  name: 'sum',
  forward: (x: Tensor, dim?: Dims, keepdim: boolean = false) => {
    const plan = planReduction(x.shape, dim, keepdim, 'sum');
    return { output: fromFloat64(sumByOutput(x.values(), plan), x.dtype, plan.outShape), saved: plan };
  },
  backward: (plan, g) => [broadcastBack(g, plan)],
});

/** y = (1/n) Σ x over dims;  dy/dx = 1/n. */
export const mean: (x: Tensor, dim?: Dims, keepdim?: boolean) => Tensor = defineOp({
  name: 'mean',
  forward: (x: Tensor, dim?: Dims, keepdim: boolean = false) => {
    const plan = planReduction(x.shape, dim, keepdim, 'mean');
    const means = sumByOutput(x.values(), plan).map((s) => s / plan.count);
    return { output: fromFloat64(means, x.dtype, plan.outShape), saved: plan };
  },
  backward: (plan, g) => [mul(broadcastBack(g, plan), 1 / plan.count)],
});

/**
 * The first maximum of `sign · x` in each reduced block (sign −1 finds minima). NaN wins over any
 * number, as in PyTorch, and the first NaN wins over later ones.
 */
function extremum(x: Tensor, dim: Dims | undefined, keepdim: boolean, sign: 1 | -1, op: string) {
  const plan = planReduction(x.shape, dim, keepdim, op);
  if (plan.count === 0 && plan.outSize > 0) {
    throw new RangeError(`${op}: cannot reduce over an empty dimension of a tensor of shape ${formatShape(x.shape)}`);
  }
  const xd = x.values();
  const { outIndex } = plan;
  const best = new Float64Array(plan.outSize);
  const argBest = new Int32Array(plan.outSize).fill(-1);
  for (let i = 0; i < xd.length; i++) {
    const o = outIndex[i];
    const v = sign * xd[i];
    if (argBest[o] < 0 || v > best[o] || (Number.isNaN(v) && !Number.isNaN(best[o]))) {
      best[o] = v;
      argBest[o] = i;
    }
  }
  const values = best.map((v) => sign * v);
  return { output: fromFloat64(values, x.dtype, plan.outShape), saved: { plan, argBest } };
}

/** dx = g at the chosen element of each block, 0 elsewhere. */
function extremumBackward(saved: { plan: ReductionPlan; argBest: Int32Array }, g: Tensor): Tensor[] {
  return [scatterAdd(g, saved.argBest, saved.plan.inShape)];
}

/** y = max x over dims;  dy/dx = 1 at the first maximal element, 0 elsewhere. */
export const max = defineOp({
  name: 'max',
  forward: (x: Tensor, dim?: Dims, keepdim: boolean = false) => extremum(x, dim, keepdim, 1, 'max'),
  backward: extremumBackward,
});

/** y = min x over dims;  dy/dx = 1 at the first minimal element, 0 elsewhere. */
export const min = defineOp({
  name: 'min',
  forward: (x: Tensor, dim?: Dims, keepdim: boolean = false) => extremum(x, dim, keepdim, -1, 'min'),
  backward: extremumBackward,
});

export interface VarOptions {
  /** Subtracted from n in the divisor: 1 (default) is the unbiased estimate, 0 the biased one. */
  correction?: number;
  keepdim?: boolean;
}
const varOptionKeys = optionKeys<VarOptions>({ correction: true, keepdim: true });

/**
 * y = Σ (x − μ)² / (n − c) over dims;  dy/dx = 2(x − μ)/(n − c). The Σ(x − μ) terms from μ's own
 * dependence on x cancel, since the deviations sum to zero. The first-order backward is one loop
 * over the forward's float64 means; with createGraph it is the same formula in ops, where μ = mean(x)
 * keeps its dependence on x (the second derivative needs it: 2(δᵢⱼ − 1/n)/(n − c)).
 */
export const variance = defineOp({
  name: 'var',
  forward: (x: Tensor, dim?: Dims, options: VarOptions = {}) => {
    checkOptions('var', options, varOptionKeys);
    const { correction = 1, keepdim = false } = options;
    if (!Number.isFinite(correction)) throw new RangeError(`var: correction must be a finite number, got ${correction}`);
    const plan = planReduction(x.shape, dim, keepdim, 'var');
    const xd = x.values();
    const means = sumByOutput(xd, plan).map((s) => s / plan.count);
    // Two passes (mean, then squared deviations) avoid the cancellation of E[x²] − E[x]².
    const squares = new Float64Array(plan.outSize);
    const { outIndex } = plan;
    for (let i = 0; i < xd.length; i++) {
      const d = xd[i] - means[outIndex[i]];
      squares[outIndex[i]] += d * d;
    }
    // PyTorch's max(0, n − c): a correction ≥ n gives inf (or 0/0 = NaN), never a negative variance.
    const divisor = Math.max(0, plan.count - correction);
    const output = fromFloat64(
      squares.map((s) => s / divisor),
      x.dtype,
      plan.outShape,
    );
    return { output, saved: { x, dim, plan, xd, means, divisor, dtype: x.dtype } };
  },
  backward: ({ x, dim, plan, xd, means, divisor, dtype }, g) => {
    if (isGradEnabled()) return [div(mul(mul(broadcastBack(g, plan), 2), sub(x, mean(x, dim, true))), divisor)];
    const gd = g.values();
    const { outIndex } = plan;
    const dx = allocate(dtype, xd.length);
    for (let i = 0; i < dx.length; i++) {
      const o = outIndex[i];
      dx[i] = (2 * gd[o] * (xd[i] - means[o])) / divisor;
    }
    return [Tensor.fromData(dx, plan.inShape)];
  },
});

/** PyTorch's name; `var` itself is a reserved word in JS, so the op is declared as `variance`. */
export { variance as var };
