/**
 * softmax and logSoftmax along one dim, numerically stable: each lane (the values along `dim` for
 * one position of the other dims) is shifted by its maximum before exponentiating, so exp never
 * overflows and the largest term is exactly 1.
 */
import { Tensor } from '../tensor';
import { defineOp } from '../define-op';
import { type TypedArray, allocate, dtypeOf } from '../dtype';
import { type Shape, normalizeDim, sizeOf } from '../shape';

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

/** Runs a lane kernel over x along dim into a fresh tensor of x's dtype. */
function alongDim(x: Tensor, dim: number, op: string, kernel: (x: TypedArray, out: TypedArray, lanes: Lanes) => void) {
  const lanes = lanesAlong(x.shape, normalizeDim(dim, x.ndim, op));
  const out = allocate(x.dtype, x.numel);
  kernel(x.contiguousData(), out, lanes);
  const output = Tensor.fromData(out, x.shape);
  return { output, saved: { y: out, lanes } };
}

/** y = e^x / Σ e^x along dim;  dx = y ⊙ (g − Σ g⊙y). */
export const softmax = defineOp({
  name: 'softmax',
  forward: (x: Tensor, dim: number) => alongDim(x, dim, 'softmax', softmaxInto),
  backward: ({ y, lanes }, g) => {
    const gd = g.contiguousData();
    const dx = allocate(dtypeOf(y), y.length);
    forEachLane(lanes, (_, first, stride, end) => {
      let dot = 0;
      for (let i = first; i < end; i += stride) dot += gd[i] * y[i];
      for (let i = first; i < end; i += stride) dx[i] = y[i] * (gd[i] - dot);
    });
    return [Tensor.fromData(dx, g.shape)];
  },
});

/** y = x − log Σ e^x along dim;  dx = g − softmax(x) · Σ g, with softmax(x) = e^y. */
export const logSoftmax = defineOp({
  name: 'logSoftmax',
  forward: (x: Tensor, dim: number) => alongDim(x, dim, 'logSoftmax', logSoftmaxInto),
  backward: ({ y, lanes }, g) => {
    const gd = g.contiguousData();
    const dx = allocate(dtypeOf(y), y.length);
    forEachLane(lanes, (_, first, stride, end) => {
      let total = 0;
      for (let i = first; i < end; i += stride) total += gd[i];
      for (let i = first; i < end; i += stride) dx[i] = gd[i] - Math.exp(y[i]) * total;
    });
    return [Tensor.fromData(dx, g.shape)];
  },
});
