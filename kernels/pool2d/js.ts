/**
 * The fast pool2d kernels: the same arithmetic as reference.ts, with the bounds checks hoisted out
 * of the tap loops (each window's in-bounds taps are precomputed once per call, per axis), index
 * arithmetic strength-reduced, and gradients scattered straight into the tensor's own array.
 */
import type { TypedArray } from '../../base/dtype';
import type { AvgPool2dGeometry, MaxPool2dGeometry } from './geometry';
import type { Pool2dKernels } from './kernels';

/** For each output along an axis, the in-bounds taps [first[o], last[o]) of its dilated window. */
function tapRanges(
  outSize: number,
  inSize: number,
  kernel: number,
  stride: number,
  padding: number,
  dilation: number,
): { first: Int32Array; last: Int32Array } {
  const first = new Int32Array(outSize);
  const last = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const origin = o * stride - padding;
    let k = 0;
    while (k < kernel && origin + k * dilation < 0) k++;
    first[o] = k;
    k = kernel;
    while (k > first[o] && origin + (k - 1) * dilation >= inSize) k--;
    last[o] = k;
  }
  return { first, last };
}

function maxPool2dForward(x: TypedArray, g: MaxPool2dGeometry, out: TypedArray, argmax: Int32Array): void {
  const { inH, inW, outH, outW, sH, sW, pH, pW, dH, dW } = g;
  const rows = tapRanges(outH, inH, g.kH, sH, pH, dH);
  const cols = tapRanges(outW, inW, g.kW, sW, pW, dW);
  const planeSize = inH * inW;
  let o = 0;
  for (let base = 0; base < g.planes * planeSize; base += planeSize) {
    for (let oh = 0; oh < outH; oh++) {
      const ihOrigin = oh * sH - pH;
      const khFirst = rows.first[oh];
      const khLast = rows.last[oh];
      for (let ow = 0; ow < outW; ow++, o++) {
        const iwOrigin = ow * sW - pW;
        const kwFirst = cols.first[ow];
        const kwLast = cols.last[ow];
        // Start from the first in-bounds tap at −∞ so that tap wins even when it holds −∞; a
        // window with no tap in bounds (large dilation) keeps −∞ and no argmax (−1).
        const empty = khFirst === khLast || kwFirst === kwLast;
        let bestIndex = empty ? -1 : (ihOrigin + khFirst * dH) * inW + iwOrigin + kwFirst * dW;
        let best = -Infinity;
        for (let kh = khFirst; kh < khLast; kh++) {
          const rowIndex = (ihOrigin + kh * dH) * inW + iwOrigin;
          for (let kw = kwFirst; kw < kwLast; kw++) {
            const index = rowIndex + kw * dW;
            const value = x[base + index];
            // A NaN wins, as in PyTorch; ">" keeps the first tie.
            if (value > best || Number.isNaN(value)) {
              best = value;
              bestIndex = index;
            }
          }
        }
        out[o] = best;
        argmax[o] = bestIndex;
      }
    }
  }
}

function maxPool2dBackward(dy: TypedArray, argmax: Int32Array, g: MaxPool2dGeometry, dx: TypedArray): void {
  const outPlane = g.outH * g.outW;
  const inPlane = g.inH * g.inW;
  dx.fill(0);
  let o = 0;
  for (let base = 0; base < g.planes * inPlane; base += inPlane) {
    for (const end = o + outPlane; o < end; o++) {
      if (argmax[o] >= 0) dx[base + argmax[o]] += dy[o];
    }
  }
}

function avgPool2dForward(x: TypedArray, g: AvgPool2dGeometry, out: TypedArray): void {
  const { inH, inW, rows, cols } = g;
  const outH = rows.start.length;
  const outW = cols.start.length;
  let o = 0;
  for (let base = 0; base < g.planes * inH * inW; base += inH * inW) {
    for (let oh = 0; oh < outH; oh++) {
      const rowFirst = base + rows.start[oh] * inW;
      const rowEnd = base + rows.end[oh] * inW;
      const rowDivisor = rows.divisor[oh];
      for (let ow = 0; ow < outW; ow++, o++) {
        const c0 = cols.start[ow];
        const c1 = cols.end[ow];
        let sum = 0;
        for (let row = rowFirst; row < rowEnd; row += inW) {
          for (let i = row + c0; i < row + c1; i++) sum += x[i];
        }
        out[o] = sum / (rowDivisor * cols.divisor[ow]);
      }
    }
  }
}

function avgPool2dBackward(dy: TypedArray, g: AvgPool2dGeometry, dx: TypedArray): void {
  const { inH, inW, rows, cols } = g;
  const outH = rows.start.length;
  const outW = cols.start.length;
  let o = 0;
  for (let base = 0; base < g.planes * inH * inW; base += inH * inW) {
    for (let oh = 0; oh < outH; oh++) {
      const rowFirst = base + rows.start[oh] * inW;
      const rowEnd = base + rows.end[oh] * inW;
      const rowDivisor = rows.divisor[oh];
      for (let ow = 0; ow < outW; ow++, o++) {
        const c0 = cols.start[ow];
        const c1 = cols.end[ow];
        const share = dy[o] / (rowDivisor * cols.divisor[ow]);
        for (let row = rowFirst; row < rowEnd; row += inW) {
          for (let i = row + c0; i < row + c1; i++) dx[i] += share;
        }
      }
    }
  }
}

export const jsPool2d: Pool2dKernels = { maxPool2dForward, maxPool2dBackward, avgPool2dForward, avgPool2dBackward };
