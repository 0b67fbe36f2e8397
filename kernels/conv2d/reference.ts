/**
 * The conv2d oracle: plain nested loops in float64 arithmetic, one output (or input, or weight)
 * element at a time, written to be checked by eye against the formulas. Gradient checks run on
 * this path; the fast paths are tested against it.
 *
 *   y[n,o,i,j]  = b[o] + Σ_{c,p,q} w[o,c,p,q] · x[n, g·Cg + c, i·sH + p·dH − padTop, j·sW + q·dW − padLeft]
 *   dx[n,C,u,v] = Σ over every (o, i, j, p, q) whose tap lands on (u, v) of dy[n,o,i,j] · w[o,c,p,q]
 *   dw[o,c,p,q] = Σ_{n,i,j} dy[n,o,i,j] · x[n, g·Cg + c, i·sH + p·dH − padTop, j·sW + q·dW − padLeft]
 * (then the epilogue, kernels/conv2d/epilogue.ts: y = max(y, 0), a 2×2 max pool) where g = ⌊o / outCg⌋ is the group of output channel o, Cg = C/groups and taps that land in the
 * padding read zero.
 */
import type { TypedArray } from '../../base/dtype';
import { type Conv2dGeometry, inChannelsPerGroup, outChannelsPerGroup } from './geometry';
import { maxPool2x2Into, noEpilogue } from './epilogue';
import type { Conv2dKernels } from './kernels';

/** Calls visit(xIndex, wIndex, yIndex) for every (output element, kernel tap) pair that reads inside the input. */
function forEachTap(geo: Conv2dGeometry, visit: (xAt: number, wAt: number, yAt: number) => void): void {
  const { n: batch, inC, h, w, outC, kH, kW, strideH, strideW, dilationH, dilationW, padTop, padLeft, outH, outW } = geo;
  const cg = inChannelsPerGroup(geo);
  const og = outChannelsPerGroup(geo);
  for (let n = 0; n < batch; n++) {
    for (let o = 0; o < outC; o++) {
      const group = Math.floor(o / og);
      for (let i = 0; i < outH; i++) {
        for (let j = 0; j < outW; j++) {
          const yAt = ((n * outC + o) * outH + i) * outW + j;
          for (let c = 0; c < cg; c++) {
            const channel = group * cg + c;
            for (let p = 0; p < kH; p++) {
              const row = i * strideH + p * dilationH - padTop;
              if (row < 0 || row >= h) continue;
              for (let q = 0; q < kW; q++) {
                const col = j * strideW + q * dilationW - padLeft;
                if (col < 0 || col >= w) continue;
                visit(((n * inC + channel) * h + row) * w + col, ((o * cg + c) * kH + p) * kW + q, yAt);
              }
            }
          }
        }
      }
    }
  }
}

/** Sums in a Float64Array, then stores in the destination's own type. */
function accumulateInto(out: TypedArray, fill: (sums: Float64Array) => void): void {
  const sums = new Float64Array(out.length);
  fill(sums);
  out.set(sums);
}

export const referenceConv2d: Conv2dKernels = {
  forward(x, weight, bias, geo, out, epilogue = noEpilogue) {
    const y = new Float64Array(geo.n * geo.outC * geo.outH * geo.outW);
    if (bias) {
      const plane = geo.outH * geo.outW;
      for (let at = 0; at < y.length; at++) y[at] = bias[Math.floor(at / plane) % geo.outC];
    }
    forEachTap(geo, (xAt, wAt, yAt) => {
      y[yAt] += weight[wAt] * x[xAt];
    });
    if (epilogue.relu) for (let at = 0; at < y.length; at++) y[at] = Math.max(y[at], 0);
    // Pooling before the rounding to out's type picks the same values: rounding keeps order.
    if (epilogue.maxPool2x2) maxPool2x2Into(y, 0, geo.n * geo.outC, geo.outH, geo.outW, out, 0);
    else out.set(y);
  },

  backwardInput(gradOutput, weight, geo, gradInput) {
    accumulateInto(gradInput, (dx) => {
      forEachTap(geo, (xAt, wAt, yAt) => {
        dx[xAt] += gradOutput[yAt] * weight[wAt];
      });
    });
  },

  backwardWeight(gradOutput, x, geo, gradWeight) {
    accumulateInto(gradWeight, (dw) => {
      forEachTap(geo, (xAt, wAt, yAt) => {
        dw[wAt] += gradOutput[yAt] * x[xAt];
      });
    });
  },
};
