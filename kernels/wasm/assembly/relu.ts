/**
 * relu's forward and backward over float32 arrays (kernels/relu/kernels.ts gives the rules and
 * kernels/relu/js.ts the js loops), each value's result bitwise the js loop's:
 *
 * - forward: x for x > 0, +0 for x ≤ 0 (−0 and −∞ included), a NaN x itself — as the js loop's
 *   (x + |x|)/2 with −∞ mended: x & [x > 0] (x, or the bits of +0) where x is a number, x where it
 *   is NaN.
 * - backward, y > 0 ? dy : +0, computed as the js loop does (reluGradient): r = dy times 1 or 0,
 *   then a NaN r kept where y > 0 and made 0 elsewhere, any other r plus +0 (−0 becomes +0). A
 *   float32 product by 1 or 0 and a sum with +0 are exact, as the js float64 ones rounded to float32 are.
 *
 * Threads split the values in contiguous runs of 16 (a 64-byte cache line, so no two threads write
 * one line); only the last run can end off the four-lane grid, so which values the scalar tail
 * computes does not depend on the thread count — and the tail's instructions give the lanes' bits.
 */
import { arg, f32At, ptr } from './memory';
import { shareStart } from './share';
import { RELU_BACKWARD_DX, RELU_BACKWARD_DY, RELU_BACKWARD_Y, RELU_COUNT, RELU_FORWARD_OUT, RELU_FORWARD_X } from './slots';

/** Values per share: a cache line of float32. */
const RUN: i32 = 16;

/** relu of four values (see the file comment). */
@inline export function relu4(x: v128): v128 {
  return v128.bitselect(x, v128.and(x, f32x4.gt(x, f32x4.splat(0))), f32x4.ne(x, x));
}
@inline export function relu1(x: f32): f32 {
  return select<f32>(x, select<f32>(x, 0, x > 0), isNaN(x));
}

export function reluForward(args: usize, share: i32, shares: i32, _thread: i32): void {
  const count = arg(args, RELU_COUNT), x = ptr(args, RELU_FORWARD_X), out = ptr(args, RELU_FORWARD_OUT);
  const end = shareStart(count, RUN, share + 1, shares);
  let i = shareStart(count, RUN, share, shares);
  for (; i + 4 <= end; i += 4) v128.store(f32At(out, i), relu4(v128.load(f32At(x, i))));
  for (; i < end; i++) store<f32>(f32At(out, i), relu1(load<f32>(f32At(x, i))));
}

export function reluBackward(args: usize, share: i32, shares: i32, _thread: i32): void {
  const count = arg(args, RELU_COUNT), dy = ptr(args, RELU_BACKWARD_DY), y = ptr(args, RELU_BACKWARD_Y), dx = ptr(args, RELU_BACKWARD_DX);
  const end = shareStart(count, RUN, share + 1, shares);
  const zero = f32x4.splat(0), one = f32x4.splat(1);
  let i = shareStart(count, RUN, share, shares);
  for (; i + 4 <= end; i += 4) {
    const positive = f32x4.gt(v128.load(f32At(y, i)), zero);
    const r = f32x4.mul(v128.load(f32At(dy, i)), v128.and(positive, one));
    v128.store(f32At(dx, i), v128.bitselect(v128.and(r, positive), f32x4.add(r, zero), f32x4.ne(r, r)));
  }
  for (; i < end; i++) {
    const positive = load<f32>(f32At(y, i)) > 0;
    const r = load<f32>(f32At(dy, i)) * select<f32>(1, 0, positive);
    store<f32>(f32At(dx, i), isNaN<f32>(r) ? select<f32>(r, 0, positive) : r + 0);
  }
}
