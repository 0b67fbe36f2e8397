/**
 * pool2d on gpu.js, one thread per result element, every pass a gather (no two threads write one
 * place). Kernel bodies follow the rules in kernels/conv2d/gpujs.ts: sizes as `this.constants.name`
 * (constant loop bounds for WebGL1) and flat indices split as ⌊(a + ½)/b⌋ (float-safe on GL).
 *
 *   max forward    thread (p,oh,ow): the index of the first maximum of the window (argmax); the
 *                  values are then gathered on the host as x[p, argmax], exactly, in x's own dtype.
 *   max backward   thread (p,ih,iw): Σ dy over the windows that hold (ih,iw) and chose it as argmax.
 *   avg forward    thread (p,oh,ow): Σ x over the window / divisor.
 *   avg backward   thread (p,ih,iw): Σ dy/divisor over the windows that hold (ih,iw).
 * Windows with data-dependent extents (avg pooling's per-axis tables) loop to the largest extent
 * and skip the rest, since the loop bound must be a constant.
 */
import { type GpuJsKernelFunction, readBack, runKernel, toFloat32, withGpuJs } from '../gpujs/context';
import type { AxisWindows, MaxPool2dGeometry } from './geometry';
import type { Pool2dKernels } from './kernels';
import { jsPool2d } from './js';

/** The geometry's fields, copied by maxConstants() below (a mapped type: gpu.js' constants are a Record<string, number>). */
type MaxConstants = { [K in keyof MaxPool2dGeometry]: number };
type MaxThis = ThisParameterType<GpuJsKernelFunction<MaxConstants>>;

/** Rows and columns of an avg pool: sizes plus the loop bound along each axis. */
type AvgConstants = { inH: number; inW: number; outH: number; outW: number; rowSpan: number; colSpan: number };
type AvgThis = ThisParameterType<GpuJsKernelFunction<AvgConstants>>;

const maxConstants = (g: MaxPool2dGeometry): MaxConstants => {
  const { planes, inH, inW, outH, outW, kH, kW, sH, sW, pH, pW, dH, dW } = g;
  return { planes, inH, inW, outH, outW, kH, kW, sH, sW, pH, pW, dH, dW };
};

function maxPoolArgmax(this: MaxThis, x: Float32Array): number {
  const row = Math.floor((this.thread.x + 0.5) / this.constants.outW);
  const ow = this.thread.x - row * this.constants.outW;
  const p = Math.floor((row + 0.5) / this.constants.outH);
  const oh = row - p * this.constants.outH;
  let best = 0;
  let bestIndex = -1;
  for (let kh = 0; kh < this.constants.kH; kh++) {
    const ih = oh * this.constants.sH - this.constants.pH + kh * this.constants.dH;
    if (ih >= 0 && ih < this.constants.inH) {
      for (let kw = 0; kw < this.constants.kW; kw++) {
        const iw = ow * this.constants.sW - this.constants.pW + kw * this.constants.dW;
        if (iw >= 0 && iw < this.constants.inW) {
          const value = x[(p * this.constants.inH + ih) * this.constants.inW + iw];
          // As the reference: the first in-bounds tap starts, ">" keeps the first tie, a NaN wins.
          // biome-ignore lint/suspicious/noSelfCompare: gpu.js compiles this body to GLSL, which has no Number.isNaN; x !== x is the NaN test there.
          if (bestIndex < 0 || value > best || value !== value) {
            best = value;
            bestIndex = ih * this.constants.inW + iw;
          }
        }
      }
    }
  }
  return bestIndex;
}

function maxPoolBackward(this: MaxThis, dy: Float32Array, argmax: Float32Array): number {
  const row = Math.floor((this.thread.x + 0.5) / this.constants.inW);
  const iw = this.thread.x - row * this.constants.inW;
  const p = Math.floor((row + 0.5) / this.constants.inH);
  const ih = row - p * this.constants.inH;
  let sum = 0;
  for (let kh = 0; kh < this.constants.kH; kh++) {
    const rowSteps = ih + this.constants.pH - kh * this.constants.dH;
    const oh = Math.floor((rowSteps + 0.5) / this.constants.sH);
    if (rowSteps >= 0 && oh * this.constants.sH === rowSteps && oh < this.constants.outH) {
      for (let kw = 0; kw < this.constants.kW; kw++) {
        const colSteps = iw + this.constants.pW - kw * this.constants.dW;
        const ow = Math.floor((colSteps + 0.5) / this.constants.sW);
        if (colSteps >= 0 && ow * this.constants.sW === colSteps && ow < this.constants.outW) {
          const o = (p * this.constants.outH + oh) * this.constants.outW + ow;
          if (argmax[o] === ih * this.constants.inW + iw) sum += dy[o];
        }
      }
    }
  }
  return sum;
}

/** rows/cols: [start…, end…, divisor…] of each output along that axis. */
function avgPoolForward(this: AvgThis, x: Float32Array, rows: Float32Array, cols: Float32Array): number {
  const row = Math.floor((this.thread.x + 0.5) / this.constants.outW);
  const ow = this.thread.x - row * this.constants.outW;
  const p = Math.floor((row + 0.5) / this.constants.outH);
  const oh = row - p * this.constants.outH;
  let sum = 0;
  for (let a = 0; a < this.constants.rowSpan; a++) {
    const ih = rows[oh] + a;
    if (ih < rows[this.constants.outH + oh]) {
      for (let b = 0; b < this.constants.colSpan; b++) {
        const iw = cols[ow] + b;
        if (iw < cols[this.constants.outW + ow]) sum += x[(p * this.constants.inH + ih) * this.constants.inW + iw];
      }
    }
  }
  return sum / (rows[2 * this.constants.outH + oh] * cols[2 * this.constants.outW + ow]);
}

/**
 * rows/cols: as in avgPoolForward; rowsCovering/colsCovering: [first…, end…],
 * for each input index, the outputs whose windows hold it.
 */
function avgPoolBackward(
  this: AvgThis,
  dy: Float32Array,
  rows: Float32Array,
  cols: Float32Array,
  rowsCovering: Float32Array,
  colsCovering: Float32Array,
): number {
  const row = Math.floor((this.thread.x + 0.5) / this.constants.inW);
  const iw = this.thread.x - row * this.constants.inW;
  const p = Math.floor((row + 0.5) / this.constants.inH);
  const ih = row - p * this.constants.inH;
  let sum = 0;
  for (let a = 0; a < this.constants.rowSpan; a++) {
    const oh = rowsCovering[ih] + a;
    if (oh < rowsCovering[this.constants.inH + ih]) {
      for (let b = 0; b < this.constants.colSpan; b++) {
        const ow = colsCovering[iw] + b;
        if (ow < colsCovering[this.constants.inW + iw]) {
          sum +=
            dy[(p * this.constants.outH + oh) * this.constants.outW + ow] /
            (rows[2 * this.constants.outH + oh] * cols[2 * this.constants.outW + ow]);
        }
      }
    }
  }
  return sum;
}

/** One axis' windows packed for a kernel, and the widest window (the loop bound). */
function windowTable(w: AxisWindows): { table: Float32Array; span: number } {
  const n = w.start.length;
  const table = new Float32Array(3 * n);
  let span = 0;
  for (let o = 0; o < n; o++) {
    table[o] = w.start[o];
    table[n + o] = w.end[o];
    table[2 * n + o] = w.divisor[o];
    span = Math.max(span, w.end[o] - w.start[o]);
  }
  return { table, span };
}

/**
 * For each input index, the outputs [first, end) whose windows hold it, and the most of them.
 * Starts and ends never decrease with the output index (avg and adaptive pooling alike), so the
 * windows holding an index are consecutive outputs.
 */
function coveringTable(w: AxisWindows, inSize: number): { table: Float32Array; span: number } {
  const table = new Float32Array(2 * inSize);
  for (let i = 0; i < inSize; i++) table[i] = w.start.length; // no window: an empty range
  for (let o = w.start.length - 1; o >= 0; o--) {
    for (let i = w.start[o]; i < w.end[o]; i++) {
      table[i] = o;
      table[inSize + i] = Math.max(table[inSize + i], o + 1);
    }
  }
  let span = 0;
  for (let i = 0; i < inSize; i++) span = Math.max(span, table[inSize + i] - table[i]);
  return { table, span };
}

export const gpujsPool2d: Pool2dKernels = {
  maxPool2dForward(x, g, out, argmax) {
    const fallback = (): void => jsPool2d.maxPool2dForward(x, g, out, argmax);
    if (out.length === 0 || x.length === 0) return fallback();
    withGpuJs((compile) => {
      const found = readBack(compile(maxPoolArgmax, out.length, maxConstants(g))(toFloat32(x)), out.length);
      const outPlane = g.outH * g.outW;
      for (let o = 0; o < out.length; o++) {
        argmax[o] = found[o];
        out[o] = found[o] < 0 ? -Infinity : x[Math.floor(o / outPlane) * g.inH * g.inW + found[o]];
      }
    }, fallback);
  },

  maxPool2dBackward(dy, argmax, g, dx) {
    dx.fill(0); // the interface writes dx in full; the kernel adds its sums onto it
    runKernel(maxPoolBackward, maxConstants(g), [dy, argmax], dx, () => jsPool2d.maxPool2dBackward(dy, argmax, g, dx), {
      accumulate: true,
    });
  },

  avgPool2dForward(x, g, out) {
    const rows = windowTable(g.rows);
    const cols = windowTable(g.cols);
    const constants = {
      inH: g.inH,
      inW: g.inW,
      outH: g.rows.start.length,
      outW: g.cols.start.length,
      rowSpan: rows.span,
      colSpan: cols.span,
    };
    runKernel(avgPoolForward, constants, [x, rows.table, cols.table], out, () => jsPool2d.avgPool2dForward(x, g, out));
  },

  avgPool2dBackward(dy, g, dx) {
    const rowsCovering = coveringTable(g.rows, g.inH);
    const colsCovering = coveringTable(g.cols, g.inW);
    const constants = {
      inH: g.inH,
      inW: g.inW,
      outH: g.rows.start.length,
      outW: g.cols.start.length,
      rowSpan: rowsCovering.span,
      colSpan: colsCovering.span,
    };
    const inputs = [dy, windowTable(g.rows).table, windowTable(g.cols).table, rowsCovering.table, colsCovering.table];
    runKernel(avgPoolBackward, constants, inputs, dx, () => jsPool2d.avgPool2dBackward(dy, g, dx), { accumulate: true });
  },
};
