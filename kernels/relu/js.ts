/**
 * relu's loops in JavaScript (the rules: kernels.ts), the kernels of every backend but wasm's and
 * its fallback. relu runs after every conv, over every activation, forward and backward, so the
 * loops are written for speed rather than through mapUnary/mapBinary (a call per element is
 * several times slower than a loop V8 can specialise).
 */
import type { TypedArray } from '../../base/dtype';
import type { ReluKernels } from './kernels';

/**
 * dst[i] = max(src[i], 0) for i in [start, end): relu's forward loop, written once for the relu op
 * and for conv2d's fused epilogue (kernels/conv2d/epilogue.ts), which runs it in place (src = dst)
 * on each output slice while that slice is still in cache.
 *
 * (v + |v|)/2 is max(v, 0) without a branch, −0 becomes 0 and a NaN propagates. Its one wrong
 * value, NaN for −∞ (−∞ + ∞; PyTorch gives 0), is mended by `relu` below, whose test almost never
 * fails and so costs nothing measurable (Math.max, also right, measured 5× slower on this loop).
 * No branch on the sign, because half of all activations are negative, and a mispredicted branch
 * per element costs more than the whole loop body; and it handles four elements per iteration because the loop's own
 * per-iteration cost (bounds and interrupt checks, the back edge) is as large as the body here (a
 * 4-way unrolled loop measured 1.3–2.6× faster). The short loop after it takes the last few.
 */
/** (v + |v|)/2, with the NaN it gives for −∞ made 0 (a NaN v stays NaN). */
function relu(v: number): number {
  const r = (v + Math.abs(v)) * 0.5;
  return Number.isNaN(r) && !Number.isNaN(v) ? 0 : r;
}

/**
 * y > 0 ? g : +0 without a branch: g · [y > 0], whose two wrong values are mended — a NaN (an infinite
 * or NaN g times 0) is made 0 where y ≤ 0, and −0 (a negative g times 0) +0 by adding +0 (which also
 * turns g = −0 where y > 0 into +0, where PyTorch keeps −0: a zero's sign only).
 */
function reluGradient(g: number, y: number): number {
  const r = g * +(y > 0);
  return Number.isNaN(r) ? (y > 0 ? r : 0) : r + 0;
}

export function reluInto(src: TypedArray, dst: TypedArray, start = 0, end = src.length): void {
  const end4 = end - ((end - start) % 4);
  let i = start;
  for (; i < end4; i += 4) {
    const a = src[i];
    const b = src[i + 1];
    const c = src[i + 2];
    const d = src[i + 3];
    dst[i] = relu(a);
    dst[i + 1] = relu(b);
    dst[i + 2] = relu(c);
    dst[i + 3] = relu(d);
  }
  for (; i < end; i++) dst[i] = relu(src[i]);
}

export const jsRelu: ReluKernels = {
  forward: (x, out) => reluInto(x, out),

  // A select by a branch would mispredict on half the elements (3.7× slower over a batch-64 conv
  // map), so: dy times 1 or 0, then the two values that gets wrong mended (reluGradient), ~10% dearer.
  backward(dy, y, dx) {
    const n4 = dy.length - (dy.length % 4);
    let i = 0;
    for (; i < n4; i += 4) {
      dx[i] = reluGradient(dy[i], y[i]);
      dx[i + 1] = reluGradient(dy[i + 1], y[i + 1]);
      dx[i + 2] = reluGradient(dy[i + 2], y[i + 2]);
      dx[i + 3] = reluGradient(dy[i + 3], y[i + 3]);
    }
    for (; i < dy.length; i++) dx[i] = reluGradient(dy[i], y[i]);
  },
};
