/**
 * conv2d on gpu.js: one thread per element of the result, each a direct sum over the taps that
 * reach it (the formulas of reference.ts, read as gathers so that no two threads write one place).
 *
 *   forward        thread (n,o,i,j):  y  = b[o] + Σ_{c,p,q} w[o,c,p,q] · x[n, g·Cg+c, i·sH+p·dH−pT, j·sW+q·dW−pL]
 *   backwardInput  thread (n,C,u,v):  dx = Σ_{o∈group(C),p,q} dy[n,o,i,j] · w[o,C−g·Cg,p,q]
 *                                      where i = (u+pT−p·dH)/sH and j = (v+pL−q·dW)/sW are whole and in range
 *   backwardWeight thread (o,c,p,q):  dw = Σ_{n,i,j} dy[n,o,i,j] · x[n, g·Cg+c, i·sH+p·dH−pT, j·sW+q·dW−pL]
 *
 * Kernel bodies are in gpu.js' JavaScript subset. Loop bounds and sizes are read as
 * `this.constants.name` at each use, not destructured into locals: gpu.js turns the former into
 * GLSL constants, and WebGL1 (headless-gl) accepts only constant loop bounds. GL shaders do index
 * arithmetic in float32, where a/b can land just below a whole quotient; so flat indices are split
 * as ⌊(a + ½)/b⌋ (exact for whole a, b) and remainders are taken by subtraction.
 */
import { type GpuJsKernelFunction, runKernel } from '../gpujs/context';
import { type Conv2dGeometry, inChannelsPerGroup, outChannelsPerGroup } from './geometry';
import type { Conv2dKernels } from './kernels';
import { jsConv2d } from './js';
import { maxPool2x2Into, noEpilogue } from './epilogue';
import { allocate, dtypeOf } from '../../base/dtype';
import { reluInto } from '../relu/js';

/** The geometry's numbers the kernels read (gpu.js constants are plain numbers), plus channels per group. */
type ConvConstants = Omit<Conv2dGeometry, 'padBottom' | 'padRight' | 'groups'> & { cg: number; og: number };

type This = ThisParameterType<GpuJsKernelFunction<ConvConstants>>;

function constantsOf(geo: Conv2dGeometry): ConvConstants {
  const { n, inC, h, w, outC, kH, kW, strideH, strideW, dilationH, dilationW, padTop, padLeft, outH, outW } = geo;
  return {
    n,
    inC,
    h,
    w,
    outC,
    kH,
    kW,
    strideH,
    strideW,
    dilationH,
    dilationW,
    padTop,
    padLeft,
    outH,
    outW,
    cg: inChannelsPerGroup(geo),
    og: outChannelsPerGroup(geo),
  };
}

function conv2dForward(this: This, x: Float32Array, weight: Float32Array, bias: Float32Array): number {
  const pixel = Math.floor((this.thread.x + 0.5) / this.constants.outW);
  const j = this.thread.x - pixel * this.constants.outW;
  const plane = Math.floor((pixel + 0.5) / this.constants.outH);
  const i = pixel - plane * this.constants.outH;
  const n = Math.floor((plane + 0.5) / this.constants.outC);
  const o = plane - n * this.constants.outC;
  const firstChannel = Math.floor((o + 0.5) / this.constants.og) * this.constants.cg;
  let sum = bias[o];
  for (let c = 0; c < this.constants.cg; c++) {
    const rows = (n * this.constants.inC + firstChannel + c) * this.constants.h;
    for (let p = 0; p < this.constants.kH; p++) {
      const row = i * this.constants.strideH + p * this.constants.dilationH - this.constants.padTop;
      if (row >= 0 && row < this.constants.h) {
        for (let q = 0; q < this.constants.kW; q++) {
          const col = j * this.constants.strideW + q * this.constants.dilationW - this.constants.padLeft;
          if (col >= 0 && col < this.constants.w) {
            sum +=
              weight[((o * this.constants.cg + c) * this.constants.kH + p) * this.constants.kW + q] *
              x[(rows + row) * this.constants.w + col];
          }
        }
      }
    }
  }
  return sum;
}

function conv2dBackwardInput(this: This, gradOutput: Float32Array, weight: Float32Array): number {
  const pixel = Math.floor((this.thread.x + 0.5) / this.constants.w);
  const v = this.thread.x - pixel * this.constants.w;
  const plane = Math.floor((pixel + 0.5) / this.constants.h);
  const u = pixel - plane * this.constants.h;
  const n = Math.floor((plane + 0.5) / this.constants.inC);
  const channel = plane - n * this.constants.inC;
  const group = Math.floor((channel + 0.5) / this.constants.cg);
  const c = channel - group * this.constants.cg;
  let sum = 0;
  for (let p = 0; p < this.constants.kH; p++) {
    const rowSteps = u + this.constants.padTop - p * this.constants.dilationH;
    const i = Math.floor((rowSteps + 0.5) / this.constants.strideH);
    if (rowSteps >= 0 && i * this.constants.strideH === rowSteps && i < this.constants.outH) {
      for (let q = 0; q < this.constants.kW; q++) {
        const colSteps = v + this.constants.padLeft - q * this.constants.dilationW;
        const j = Math.floor((colSteps + 0.5) / this.constants.strideW);
        if (colSteps >= 0 && j * this.constants.strideW === colSteps && j < this.constants.outW) {
          for (let k = 0; k < this.constants.og; k++) {
            const o = group * this.constants.og + k;
            sum +=
              gradOutput[((n * this.constants.outC + o) * this.constants.outH + i) * this.constants.outW + j] *
              weight[((o * this.constants.cg + c) * this.constants.kH + p) * this.constants.kW + q];
          }
        }
      }
    }
  }
  return sum;
}

function conv2dBackwardWeight(this: This, gradOutput: Float32Array, x: Float32Array): number {
  const tapRow = Math.floor((this.thread.x + 0.5) / this.constants.kW);
  const q = this.thread.x - tapRow * this.constants.kW;
  const tapPlane = Math.floor((tapRow + 0.5) / this.constants.kH);
  const p = tapRow - tapPlane * this.constants.kH;
  const o = Math.floor((tapPlane + 0.5) / this.constants.cg);
  const c = tapPlane - o * this.constants.cg;
  const channel = Math.floor((o + 0.5) / this.constants.og) * this.constants.cg + c;
  let sum = 0;
  for (let n = 0; n < this.constants.n; n++) {
    const rows = (n * this.constants.inC + channel) * this.constants.h;
    for (let i = 0; i < this.constants.outH; i++) {
      const row = i * this.constants.strideH + p * this.constants.dilationH - this.constants.padTop;
      if (row >= 0 && row < this.constants.h) {
        for (let j = 0; j < this.constants.outW; j++) {
          const col = j * this.constants.strideW + q * this.constants.dilationW - this.constants.padLeft;
          if (col >= 0 && col < this.constants.w) {
            sum +=
              gradOutput[((n * this.constants.outC + o) * this.constants.outH + i) * this.constants.outW + j] *
              x[(rows + row) * this.constants.w + col];
          }
        }
      }
    }
  }
  return sum;
}

export const gpujsConv2d: Conv2dKernels = {
  forward(x, weight, bias, geo, out, epilogue = noEpilogue) {
    // A zero bias keeps one kernel for both cases; it costs one read per output.
    const biasValues = bias ?? new Float32Array(geo.outC);
    // The epilogue runs on the host after the read-back: one kernel per geometry, not one per epilogue.
    const y = epilogue.maxPool2x2 ? allocate(dtypeOf(out), geo.n * geo.outC * geo.outH * geo.outW) : out;
    runKernel(conv2dForward, constantsOf(geo), [x, weight, biasValues], y, () => jsConv2d.forward(x, weight, bias, geo, y));
    if (epilogue.relu) reluInto(y, y);
    if (epilogue.maxPool2x2) maxPool2x2Into(y, 0, geo.n * geo.outC, geo.outH, geo.outW, out, 0);
  },

  backwardInput(gradOutput, weight, geo, gradInput) {
    runKernel(conv2dBackwardInput, constantsOf(geo), [gradOutput, weight], gradInput, () =>
      jsConv2d.backwardInput(gradOutput, weight, geo, gradInput),
    );
  },

  backwardWeight(gradOutput, x, geo, gradWeight) {
    runKernel(conv2dBackwardWeight, constantsOf(geo), [gradOutput, x], gradWeight, () =>
      jsConv2d.backwardWeight(gradOutput, x, geo, gradWeight),
    );
  },
};
