/**
 * softmax and logSoftmax along one dim, numerically stable: each lane (the values along `dim` for
 * one position of the other dims) is shifted by its maximum before exponentiating, so exp never
 * overflows and the largest term is exactly 1.
 */
import { Tensor } from '../tensor';
import { defineOp } from '../define-op';
import { type TypedArray, allocate } from '../../base/dtype';
import { type Shape, normalizeDim, sizeOf } from '../../base/shape';
import { mul, neg, sub } from './arithmetic';
import { exp } from './unary';
import { sum } from './reductions';

/** A row-major tensor seen as outer × size × inner, with `size` running along the chosen dim. */
export interface Lanes {
  outer: number;
  size: number;
  inner: number;
}

export function lanesAlong(shape: Shape, dim: number): Lanes {
  return { outer: sizeOf(shape.slice(0, dim)), size: shape[dim], inner: sizeOf(shape.slice(dim + 1)) };
}

/**
 * Calls visit(lane, first, stride, end) once per lane: its elements are first, first + stride, …
 * up to (not including) end. Lanes are numbered row-major over the remaining dims.
 */
export function forEachLane(lanes: Lanes, visit: (lane: number, first: number, stride: number, end: number) => void): void {
  const { outer, size, inner } = lanes;
  const span = size * inner;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const first = o * span + j;
      visit(o * inner + j, first, inner, first + span);
    }
  }
}

/** Writes log-softmax of every lane of x into out (which may have a different float type). */
export function logSoftmaxInto(x: TypedArray, out: TypedArray, lanes: Lanes): void {
  forEachLane(lanes, (_, first, stride, end) => {
    let max = -Infinity;
    for (let i = first; i < end; i += stride) if (x[i] > max) max = x[i];
    let total = 0;
    for (let i = first; i < end; i += stride) total += Math.exp(x[i] - max);
    const shift = max + Math.log(total);
    for (let i = first; i < end; i += stride) out[i] = x[i] - shift;
  });
}

function softmaxInto(x: TypedArray, out: TypedArray, lanes: Lanes): void {
  forEachLane(lanes, (_, first, stride, end) => {
    let max = -Infinity;
    for (let i = first; i < end; i += stride) if (x[i] > max) max = x[i];
    let total = 0;
    for (let i = first; i < end; i += stride) {
      out[i] = Math.exp(x[i] - max);
      total += out[i];
    }
    for (let i = first; i < end; i += stride) out[i] /= total;
  });
}

/** Runs a lane kernel over x along dim into a fresh tensor of x's dtype; y (the output) is saved. */
function alongDim(x: Tensor, dim: number, op: string, kernel: (x: TypedArray, out: TypedArray, lanes: Lanes) => void) {
  const along = normalizeDim(dim, x.ndim, op);
  const out = allocate(x.dtype, x.numel);
  kernel(x.values(), out, lanesAlong(x.shape, along));
  const output = Tensor.fromData(out, x.shape);
  return { output, saved: { y: output, dim: along } };
}

/** Runs `lane(g, y, dx, first, stride, end)` over every lane of g and y along dim into a fresh dx. */
function backwardAlongDim(
  g: Tensor,
  y: Tensor,
  dim: number,
  lane: (gd: TypedArray, yd: TypedArray, dx: TypedArray, first: number, stride: number, end: number) => void,
): Tensor {
  const gd = g.values();
  const yd = y.values();
  const dx = allocate(y.dtype, yd.length);
  forEachLane(lanesAlong(y.shape, dim), (_, first, stride, end) => lane(gd, yd, dx, first, stride, end));
  return Tensor.fromData(dx, g.shape);
}

/** y = e^x / Σ e^x along dim;  dx = y ⊙ (g − Σ g⊙y). */
export const softmax = defineOp({
  name: 'softmax',
  forward: (x: Tensor, dim: number) => alongDim(x, dim, 'softmax', softmaxInto),
  backward: ({ y, dim }, g) => [softmaxBackward(g, y, dim)],
});

/**
 * softmax's backward as an op of its own (PyTorch's _softmax_backward_data): dx = y ⊙ (g − s),
 * s = Σ g⊙y along dim. Linear in g; in y, ∂dxᵢ/∂yₖ = δᵢₖ(gᵢ − s) − yᵢgₖ, so
 *   dG = softmaxBackward(dY, y),   dy = dY ⊙ (g − s) − g · Σ dY⊙y.
 */
const softmaxBackward: (g: Tensor, y: Tensor, dim: number) => Tensor = defineOp({
  name: 'softmaxBackward',
  forward: (g: Tensor, y: Tensor, dim: number) => {
    const dx = backwardAlongDim(g, y, dim, (gd, yd, out, first, stride, end) => {
      let dot = 0;
      for (let i = first; i < end; i += stride) dot += gd[i] * yd[i];
      for (let i = first; i < end; i += stride) out[i] = yd[i] * (gd[i] - dot);
    });
    return { output: dx, saved: { g, y, dim } };
  },
  backward: ({ g, y, dim }, gg, needs) => [
    needs[0] ? softmaxBackward(gg, y, dim) : null,
    needs[1] ? sub(mul(gg, sub(g, sum(mul(g, y), dim, true))), mul(g, sum(mul(gg, y), dim, true))) : null,
  ],
});

/** y = x − log Σ e^x along dim;  dx = g − softmax(x) · Σ g, with softmax(x) = e^y. */
export const logSoftmax = defineOp({
  name: 'logSoftmax',
  forward: (x: Tensor, dim: number) => alongDim(x, dim, 'logSoftmax', logSoftmaxInto),
  backward: ({ y, dim }, g) => [logSoftmaxBackward(g, y, dim)],
});

/**
 * logSoftmax's backward as an op of its own: dx = g − e^y · Σ g along dim. Linear in g with
 * ∂dxᵢ/∂gₖ = δᵢₖ − e^yᵢ (not symmetric: its adjoint is not itself); in y, ∂dxᵢ/∂yₖ = −δᵢₖ e^yₖ Σ g, so
 *   dG = dY − Σ dY⊙e^y,   dy = −dY ⊙ e^y · Σ g.
 */
const logSoftmaxBackward: (g: Tensor, y: Tensor, dim: number) => Tensor = defineOp({
  name: 'logSoftmaxBackward',
  forward: (g: Tensor, y: Tensor, dim: number) => {
    const dx = backwardAlongDim(g, y, dim, (gd, yd, out, first, stride, end) => {
      let total = 0;
      for (let i = first; i < end; i += stride) total += gd[i];
      for (let i = first; i < end; i += stride) out[i] = gd[i] - Math.exp(yd[i]) * total;
    });
    return { output: dx, saved: { g, y, dim } };
  },
  backward: ({ g, y, dim }, gg, needs) => [
    needs[0] ? sub(gg, sum(mul(gg, exp(y)), dim, true)) : null,
    needs[1] ? neg(mul(mul(gg, exp(y)), sum(g, dim, true))) : null,
  ],
});
