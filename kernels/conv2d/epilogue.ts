/**
 * What conv2d's forward may do to its output before handing it back, on each (image, group) slice
 * right after computing it, while the slice is still in cache: the inference path (nn/inference)
 * fuses the ReLU and the 2×2 max pool that follow a conv (and the batch norm folded into it) this
 * way, saving passes over the activations, their arrays, and max pooling's argmax. Forward-only:
 * nothing here has a backward, so only the gradient-free path uses it (lib/ops/conv2d-inference.ts).
 *
 *   relu       y = max(y, 0) after the bias (−0 becomes 0, a NaN stays NaN, as relu's forward)
 *   maxPool2x2 then out[n,o,i,j] = max of y[n,o,2i..2i+1, 2j..2j+1] (MaxPool2d(2): stride 2, no
 *              padding, floor mode, so an odd last row or column is dropped; a NaN wins, as max
 *              pooling's forward), and `out` has the pooled shape [N, outC, ⌊outH/2⌋, ⌊outW/2⌋]
 */
import type { TypedArray } from '../../base/dtype';
import type { Conv2dGeometry } from './geometry';

export interface Conv2dEpilogue {
  readonly relu: boolean;
  readonly maxPool2x2: boolean;
}

/** The plain convolution. */
export const noEpilogue: Conv2dEpilogue = { relu: false, maxPool2x2: false };

/** The output's height and width after the epilogue. */
export function epilogueOutputSize(geo: Conv2dGeometry, epilogue: Conv2dEpilogue): [number, number] {
  return epilogue.maxPool2x2 ? [Math.floor(geo.outH / 2), Math.floor(geo.outW / 2)] : [geo.outH, geo.outW];
}

/** The best of a window so far after tap v: v when greater, or NaN. */
const later = (best: number, v: number): number => (v > best || Number.isNaN(v) ? v : best);

/**
 * The 2×2 stride-2 max pool of `planes` h×w planes at src[srcOffset…] into their ⌊h/2⌋×⌊w/2⌋ planes
 * at dst[dstOffset…]; the taps in window order, a later one taken when greater or NaN, as max
 * pooling's js kernel does.
 */
export function maxPool2x2Into(
  src: TypedArray,
  srcOffset: number,
  planes: number,
  h: number,
  w: number,
  dst: TypedArray,
  dstOffset: number,
): void {
  const outH = Math.floor(h / 2);
  const outW = Math.floor(w / 2);
  let to = dstOffset;
  for (let plane = 0; plane < planes; plane++) {
    for (let i = 0; i < outH; i++) {
      const top = srcOffset + (plane * h + 2 * i) * w;
      for (let j = 0; j < outW; j++, to++) {
        const at = top + 2 * j;
        dst[to] = later(later(later(src[at], src[at + 1]), src[at + w]), src[at + w + 1]);
      }
    }
  }
}
