/**
 * im2col / col2im: the reshuffle that turns a convolution into one matrix product.
 *
 * For one image and one group, the "column matrix" has a row per (channel c, tap p, tap q) and a
 * column per output pixel (i, j):
 *   col[(c·kH + p)·kW + q, i·outW + j] = x[c, i·sH + p·dH − padTop, j·sW + q·dW − padLeft]  (0 in the padding)
 * so forward is weightGroup [outCg × Cg·kH·kW] · col [Cg·kH·kW × outH·outW].
 * col2im is its adjoint: it adds every column entry back onto the input pixel it was read from,
 * which is how the gradient w.r.t. the input is gathered.
 *
 * Both walk a row of the output at a time and split it into the padding on the left, the part
 * that reads the image, and the padding on the right, so the inner loop has no bounds tests.
 */
import type { TypedArray } from '../../base/dtype';
import { type Conv2dGeometry, inChannelsPerGroup } from './geometry';

/** Output indices t in [lo, hi) for which t·stride + offset lies inside [0, size). */
function insideRange(offset: number, stride: number, size: number, count: number): [number, number] {
  const lo = offset >= 0 ? 0 : Math.ceil(-offset / stride);
  const hi = offset > size - 1 ? 0 : Math.floor((size - 1 - offset) / stride) + 1;
  const clampedLo = Math.min(lo, count);
  return [clampedLo, Math.max(clampedLo, Math.min(hi, count))];
}

/**
 * Fills col (from index 0) with the column matrix of the group whose first channel starts at
 * x[xOffset] (that is, image n, channel g·Cg).
 */
export function im2col(x: TypedArray, xOffset: number, geo: Conv2dGeometry, col: TypedArray): void {
  const { h, w, kH, kW, strideH, strideW, dilationH, dilationW, padTop, padLeft, outH, outW } = geo;
  const cg = inChannelsPerGroup(geo);
  let dst = 0;
  for (let c = 0; c < cg; c++) {
    const plane = xOffset + c * h * w;
    for (let p = 0; p < kH; p++) {
      const rowShift = p * dilationH - padTop;
      const [iLo, iHi] = insideRange(rowShift, strideH, h, outH);
      for (let q = 0; q < kW; q++) {
        const colShift = q * dilationW - padLeft;
        const [jLo, jHi] = insideRange(colShift, strideW, w, outW);
        for (let i = 0; i < outH; i++) {
          if (i < iLo || i >= iHi) {
            col.fill(0, dst, dst + outW);
            dst += outW;
            continue;
          }
          const src = plane + (i * strideH + rowShift) * w + colShift;
          let j = 0;
          for (; j < jLo; j++) col[dst++] = 0;
          if (strideW === 1) {
            for (; j < jHi; j++) col[dst++] = x[src + j];
          } else {
            for (; j < jHi; j++) col[dst++] = x[src + j * strideW];
          }
          for (; j < outW; j++) col[dst++] = 0;
        }
      }
    }
  }
}

/** The adjoint of im2col: x[xOffset + …] += every entry of col at the pixel it came from. */
export function col2im(col: TypedArray, geo: Conv2dGeometry, x: TypedArray, xOffset: number): void {
  const { h, w, kH, kW, strideH, strideW, dilationH, dilationW, padTop, padLeft, outH, outW } = geo;
  const cg = inChannelsPerGroup(geo);
  let at = 0;
  for (let c = 0; c < cg; c++) {
    const plane = xOffset + c * h * w;
    for (let p = 0; p < kH; p++) {
      const rowShift = p * dilationH - padTop;
      const [iLo, iHi] = insideRange(rowShift, strideH, h, outH);
      for (let q = 0; q < kW; q++) {
        const colShift = q * dilationW - padLeft;
        const [jLo, jHi] = insideRange(colShift, strideW, w, outW);
        for (let i = 0; i < outH; i++, at += outW) {
          if (i < iLo || i >= iHi) continue;
          const dst = plane + (i * strideH + rowShift) * w + colShift;
          for (let j = jLo; j < jHi; j++) x[dst + j * strideW] += col[at + j];
        }
      }
    }
  }
}
