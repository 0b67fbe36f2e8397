/**
 * The reference pool2d kernels: plain loops over (plane, output row, output column, tap), written
 * to be read and checked against the definition. Sums are accumulated in float64 (JS numbers) and
 * gradients scattered into a float64 buffer, so float32 tensors get float64-accurate results.
 */
import type { TypedArray } from '../../base/dtype';
import type { AvgPool2dGeometry, MaxPool2dGeometry } from './geometry';
import type { Pool2dKernels } from './kernels';

function maxPool2dForward(x: TypedArray, g: MaxPool2dGeometry, out: TypedArray, argmax: Int32Array): void {
  for (let p = 0; p < g.planes; p++) {
    const plane = p * g.inH * g.inW;
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++) {
        let best = -Infinity;
        let bestIndex = -1;
        for (let kh = 0; kh < g.kH; kh++) {
          const ih = oh * g.sH - g.pH + kh * g.dH;
          if (ih < 0 || ih >= g.inH) continue; // a padding row: −∞ never wins
          for (let kw = 0; kw < g.kW; kw++) {
            const iw = ow * g.sW - g.pW + kw * g.dW;
            if (iw < 0 || iw >= g.inW) continue;
            const index = ih * g.inW + iw;
            const value = x[plane + index];
            // Strictly greater keeps the first of tied maxima; the first in-bounds tap is the
            // answer when every value is −∞; a NaN is taken (and kept by later NaNs) as PyTorch does.
            if (bestIndex < 0 || value > best || Number.isNaN(value)) {
              best = value;
              bestIndex = index;
            }
          }
        }
        // A window with no tap in bounds (possible with a large dilation) stays −∞ with argmax −1.
        const o = (p * g.outH + oh) * g.outW + ow;
        out[o] = best;
        argmax[o] = bestIndex;
      }
    }
  }
}

function maxPool2dBackward(dy: TypedArray, argmax: Int32Array, g: MaxPool2dGeometry, dx: TypedArray): void {
  const sums = new Float64Array(dx.length);
  for (let p = 0; p < g.planes; p++) {
    for (let o = 0; o < g.outH * g.outW; o++) {
      const flat = p * g.outH * g.outW + o;
      if (argmax[flat] < 0) continue; // a window entirely in the padding took no input
      sums[p * g.inH * g.inW + argmax[flat]] += dy[flat];
    }
  }
  for (let i = 0; i < dx.length; i++) dx[i] = 0 + sums[i]; // +0 where the sum is −0, as a zero-filled dx gives
}

function avgPool2dForward(x: TypedArray, g: AvgPool2dGeometry, out: TypedArray): void {
  const outH = g.rows.start.length;
  const outW = g.cols.start.length;
  for (let p = 0; p < g.planes; p++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        let sum = 0;
        for (let ih = g.rows.start[oh]; ih < g.rows.end[oh]; ih++) {
          for (let iw = g.cols.start[ow]; iw < g.cols.end[ow]; iw++) sum += x[(p * g.inH + ih) * g.inW + iw];
        }
        out[(p * outH + oh) * outW + ow] = sum / (g.rows.divisor[oh] * g.cols.divisor[ow]);
      }
    }
  }
}

function avgPool2dBackward(dy: TypedArray, g: AvgPool2dGeometry, dx: TypedArray): void {
  const outH = g.rows.start.length;
  const outW = g.cols.start.length;
  const sums = new Float64Array(dx.length);
  for (let p = 0; p < g.planes; p++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        const share = dy[(p * outH + oh) * outW + ow] / (g.rows.divisor[oh] * g.cols.divisor[ow]);
        for (let ih = g.rows.start[oh]; ih < g.rows.end[oh]; ih++) {
          for (let iw = g.cols.start[ow]; iw < g.cols.end[ow]; iw++) sums[(p * g.inH + ih) * g.inW + iw] += share;
        }
      }
    }
  }
  for (let i = 0; i < dx.length; i++) dx[i] += sums[i];
}

export const referencePool2d: Pool2dKernels = { maxPool2dForward, maxPool2dBackward, avgPool2dForward, avgPool2dBackward };
