/**
 * One Adam step over every parameter in one call (kernels/adam/kernels.ts gives the rule and
 * kernels/adam/js.ts the js loop). The arithmetic is float64, each element's expression exactly
 * the js one, operation by operation: a float32 value is promoted exactly, f64x2's add, mul, div
 * and sqrt round each lane as their scalar forms (and as JavaScript's) do, and no multiply-add is
 * fused, so every parameter, exp_avg and exp_avg_sq comes out bitwise as the js update writes it.
 *
 * Threads split the ELEMENTS of all parameters taken end to end, in runs of four: a thread's run
 * may span several parameters or part of one. Each element is computed by the same instructions
 * whichever thread (and lane, or scalar tail) computes it, so the split does not change a bit.
 *
 * The argument block (kernels/wasm/argument-blocks.ts): count, then table (five i32 per
 * parameter: the addresses of its values, gradient, exp_avg, exp_avg_sq, then its length), then
 * factors (float64: β₁, 1 − β₁, β₂, 1 − β₂, step size, √(1 − β₂ᵗ), decay, λ, ε).
 */
import { shareStart } from './share';
import { arg, f32At, f64At, ptr } from './memory';
import { demote, high, low } from './float64-lanes';
import { ADAM_STEP_COUNT, ADAM_STEP_FACTORS, ADAM_STEP_TABLE } from './slots';

/** Factor `index` of the float64 table at `factors` (see the file comment for the order). */
@inline function factor(factors: usize, index: i32): f64 {
  return load<f64>(f64At(factors, index));
}


/** One parameter's elements [from, to): float64x2 lanes four at a time, then one at a time. */
function updateRun(entry: usize, from: i32, to: i32, factors: usize): void {
  const param = ptr(entry, 0), grad = ptr(entry, 1), m = ptr(entry, 2), v = ptr(entry, 3);
  const kBeta1 = factor(factors, 0), kOneMinusBeta1 = factor(factors, 1);
  const kBeta2 = factor(factors, 2), kOneMinusBeta2 = factor(factors, 3);
  const kStepSize = factor(factors, 4), kSqrtCorrection2 = factor(factors, 5);
  const kDecay = factor(factors, 6), kL2 = factor(factors, 7), kEps = factor(factors, 8);
  const beta1 = f64x2.splat(kBeta1), oneMinusBeta1 = f64x2.splat(kOneMinusBeta1);
  const beta2 = f64x2.splat(kBeta2), oneMinusBeta2 = f64x2.splat(kOneMinusBeta2);
  const stepSize = f64x2.splat(kStepSize), sqrtCorrection2 = f64x2.splat(kSqrtCorrection2);
  const decay = f64x2.splat(kDecay), l2 = f64x2.splat(kL2), eps = f64x2.splat(kEps);
  let i = from;
  for (; i + 4 <= to; i += 4) {
    const p4 = v128.load(f32At(param, i)), g4 = v128.load(f32At(grad, i));
    const m4 = v128.load(f32At(m, i)), v4 = v128.load(f32At(v, i));
    // The two halves, each the scalar loop's expression below in two lanes.
    const thetaLo = f64x2.mul(low(p4), decay), thetaHi = f64x2.mul(high(p4), decay);
    const gLo = f64x2.add(low(g4), f64x2.mul(l2, thetaLo)), gHi = f64x2.add(high(g4), f64x2.mul(l2, thetaHi));
    const mLo = f64x2.add(f64x2.mul(beta1, low(m4)), f64x2.mul(oneMinusBeta1, gLo));
    const mHi = f64x2.add(f64x2.mul(beta1, high(m4)), f64x2.mul(oneMinusBeta1, gHi));
    const vLo = f64x2.add(f64x2.mul(beta2, low(v4)), f64x2.mul(f64x2.mul(oneMinusBeta2, gLo), gLo));
    const vHi = f64x2.add(f64x2.mul(beta2, high(v4)), f64x2.mul(f64x2.mul(oneMinusBeta2, gHi), gHi));
    const pLo = f64x2.sub(thetaLo, f64x2.div(f64x2.mul(stepSize, mLo), f64x2.add(f64x2.div(f64x2.sqrt(vLo), sqrtCorrection2), eps)));
    const pHi = f64x2.sub(thetaHi, f64x2.div(f64x2.mul(stepSize, mHi), f64x2.add(f64x2.div(f64x2.sqrt(vHi), sqrtCorrection2), eps)));
    v128.store(f32At(m, i), demote(mLo, mHi));
    v128.store(f32At(v, i), demote(vLo, vHi));
    v128.store(f32At(param, i), demote(pLo, pHi));
  }
  for (; i < to; i++) {
    const theta = <f64>load<f32>(f32At(param, i)) * kDecay;
    const g = <f64>load<f32>(f32At(grad, i)) + kL2 * theta;
    const mk = kBeta1 * <f64>load<f32>(f32At(m, i)) + kOneMinusBeta1 * g;
    const vk = kBeta2 * <f64>load<f32>(f32At(v, i)) + kOneMinusBeta2 * g * g;
    store<f32>(f32At(m, i), <f32>mk);
    store<f32>(f32At(v, i), <f32>vk);
    store<f32>(f32At(param, i), <f32>(theta - (kStepSize * mk) / (Math.sqrt(vk) / kSqrtCorrection2 + kEps)));
  }
}

/** Table entry `index`: five i32 slots, read with ptr/arg as an argument block. */
@inline function entryAt(table: usize, index: i32): usize {
  return table + (<usize>index) * 20;
}

export function adamStep(args: usize, share: i32, shares: i32, _thread: i32): void {
  const count = arg(args, ADAM_STEP_COUNT), table = ptr(args, ADAM_STEP_TABLE), factors = ptr(args, ADAM_STEP_FACTORS);
  let total = 0;
  for (let p = 0; p < count; p++) total += arg(entryAt(table, p), 4);
  const start = shareStart(total, 4, share, shares), end = shareStart(total, 4, share + 1, shares);
  // Walk the parameters end to end, updating the part of each that falls in [start, end).
  let first = 0;
  for (let p = 0; p < count && first < end; p++) {
    const entry = entryAt(table, p);
    const length = arg(entry, 4);
    const from = max(start - first, 0), to = min(end - first, length);
    if (from < to) updateRun(entry, from, to, factors);
    first += length;
  }
}
