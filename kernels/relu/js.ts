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

  // +(mask > 0) is 1 or 0: a multiply instead of a branch, as in the forward.
  backward(dy, y, dx) {
    const n4 = dy.length - (dy.length % 4);
    let i = 0;
    for (; i < n4; i += 4) {
      dx[i] = dy[i] * +(y[i] > 0);
      dx[i + 1] = dy[i + 1] * +(y[i + 1] > 0);
      dx[i + 2] = dy[i + 2] * +(y[i + 2] > 0);
      dx[i + 3] = dy[i + 3] * +(y[i + 3] > 0);
    }
    for (; i < dy.length; i++) dx[i] = dy[i] * +(y[i] > 0);
  },
};
