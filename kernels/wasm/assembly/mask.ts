/**
 * The drop-mask kernels over float32 arrays (kernels/mask/kernels.ts gives the rules, kernels/mask/js.ts
 * the js loops), each value bitwise the js loop's:
 *
 * - bernoulliMask: out[i] = uᵢ < p ? hit : miss, uᵢ made of the stream's next two words as
 *   Generator.random makes it. One stream is one sequence, so the host runs the draws as one share
 *   on the calling thread, in order; the state's four words are read, advanced and written back. The
 *   xoshiro128** step is the js one (fillWords) in i32 arithmetic, which wraps as Math.imul and the
 *   js shifts do; the uniform is the same float64 expression, and hit and miss are rounded to
 *   float32 as a Float32Array store rounds them.
 * - maskProduct: out[i] = x[i] · mask[⌊i / run⌋], the float32 product (the js loop's float64 product of
 *   two float32 values, rounded, is that product). Threads split the mask values: in runs of 16 (a
 *   cache line) when each covers one value, one at a time when each covers a run of them.
 */
import { arg, f32At, ptr } from './memory';
import { shareStart } from './share';
import {
  BERNOULLI_MASK_CONSTANTS,
  BERNOULLI_MASK_OUT,
  BERNOULLI_MASK_STATE,
  MASK_COUNT,
  MASK_PRODUCT_MASK,
  MASK_PRODUCT_OUT,
  MASK_PRODUCT_RUN,
  MASK_PRODUCT_X,
} from './slots';

/** The stream's words while bernoulliMask runs (each thread's instance has its own; the host runs it as one share on the calling thread). */
let s0: i32 = 0, s1: i32 = 0, s2: i32 = 0, s3: i32 = 0;

/** The stream's next word, the words advanced: xoshiro128**, as kernels/mask/js.ts' fillWords. */
@inline function nextWord(): u32 {
  const result = <u32>(rotl<i32>(s1 * 5, 7) * 9);
  const t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl<i32>(s3, 11);
  return result;
}

export function bernoulliMask(args: usize, _share: i32, _shares: i32, _thread: i32): void {
  const count = arg(args, MASK_COUNT), state = ptr(args, BERNOULLI_MASK_STATE), constants = ptr(args, BERNOULLI_MASK_CONSTANTS);
  const out = ptr(args, BERNOULLI_MASK_OUT);
  const p = load<f64>(constants), hit = <f32>load<f64>(constants, 8), miss = <f32>load<f64>(constants, 16);
  s0 = load<i32>(state);
  s1 = load<i32>(state, 4);
  s2 = load<i32>(state, 8);
  s3 = load<i32>(state, 12);
  for (let i = 0; i < count; i++) {
    // The uniform's high 27 bits from one word, then its low 26 from the next.
    const hi = nextWord() >>> 5;
    const lo = nextWord() >>> 6;
    const u = (<f64>hi * 67108864.0 + <f64>lo) / 9007199254740992.0;
    store<f32>(f32At(out, i), select<f32>(hit, miss, u < p));
  }
  store<i32>(state, s0);
  store<i32>(state, s1, 4);
  store<i32>(state, s2, 8);
  store<i32>(state, s3, 12);
}

export function maskProduct(args: usize, share: i32, shares: i32, _thread: i32): void {
  const count = arg(args, MASK_COUNT), run = arg(args, MASK_PRODUCT_RUN);
  const x = ptr(args, MASK_PRODUCT_X), mask = ptr(args, MASK_PRODUCT_MASK), out = ptr(args, MASK_PRODUCT_OUT);
  const factors = count / run;
  const unit = run == 1 ? 16 : 1;
  const first = shareStart(factors, unit, share, shares), last = shareStart(factors, unit, share + 1, shares);
  if (run == 1) {
    let i = first;
    for (; i + 4 <= last; i += 4) v128.store(f32At(out, i), f32x4.mul(v128.load(f32At(x, i)), v128.load(f32At(mask, i))));
    for (; i < last; i++) store<f32>(f32At(out, i), load<f32>(f32At(x, i)) * load<f32>(f32At(mask, i)));
    return;
  }
  for (let m = first; m < last; m++) {
    const factor = load<f32>(f32At(mask, m)), lanes = f32x4.splat(factor);
    let i = m * run;
    const end = i + run;
    for (; i + 4 <= end; i += 4) v128.store(f32At(out, i), f32x4.mul(v128.load(f32At(x, i)), lanes));
    for (; i < end; i++) store<f32>(f32At(out, i), load<f32>(f32At(x, i)) * factor);
  }
}
