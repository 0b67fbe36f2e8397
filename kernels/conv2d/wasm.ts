/**
 * conv2d on the wasm backend (float32): copies the operands into wasm memory, runs the SIMD kernels
 * of kernels/wasm/assembly/conv2d.ts across the threads, and copies the result out. float64 tensors take the
 * js kernels: the wasm kernels are float32 only (see docs/backends.md).
 */
import { type Conv2dGeometry, patchSize } from './geometry';
import { jsConv2d } from './js';
import type { Conv2dKernels } from './kernels';
import { CallFrame } from '../wasm/call-frame';
import { type WasmInstance, withWasm } from '../wasm/instance';
import { runKernel, threadsFor } from '../wasm/thread-pool';

/** The geometry block every conv2d kernel reads first (slot order of kernels/wasm/assembly/conv2d.ts). */
function geometrySlots(g: Conv2dGeometry): number[] {
  return [
    g.n,
    g.inC,
    g.h,
    g.w,
    g.outC,
    g.kH,
    g.kW,
    g.strideH,
    g.strideW,
    g.padTop,
    g.padLeft,
    g.dilationH,
    g.dilationW,
    g.groups,
    g.outH,
    g.outW,
  ];
}

/** Per-thread workspace: the gemm panels plus one column matrix (K × P floats). */
function workspaceBytes(wasm: WasmInstance, g: Conv2dGeometry): number {
  return wasm.exports.gemmWorkspaceBytes() + patchSize(g) * g.outH * g.outW * 4;
}

export const wasmConv2d: Conv2dKernels = {
  forward(x, weight, bias, geo, out) {
    if (
      !(x instanceof Float32Array && weight instanceof Float32Array && out instanceof Float32Array) ||
      (bias && !(bias instanceof Float32Array))
    )
      return jsConv2d.forward(x, weight, bias, geo, out);
    withWasm(
      (wasm) => {
        const frame = new CallFrame(wasm);
        const threads = threadsFor(wasm, geo.n * geo.groups);
        const workspace = workspaceBytes(wasm, geo);
        const y = frame.reserve(out.byteLength);
        const args = frame.args([
          ...geometrySlots(geo),
          frame.input(x),
          frame.input(weight),
          bias ? frame.input(bias) : 0,
          y,
          frame.reserve(workspace * threads),
          workspace,
        ]);
        runKernel(wasm, 'conv2dForward', args, threads);
        out.set(frame.float32(y, out.length));
      },
      () => jsConv2d.forward(x, weight, bias, geo, out),
    );
  },

  backwardInput(gradOutput, weight, geo, gradInput) {
    if (!(gradOutput instanceof Float32Array && weight instanceof Float32Array && gradInput instanceof Float32Array))
      return jsConv2d.backwardInput(gradOutput, weight, geo, gradInput);
    withWasm(
      (wasm) => {
        const frame = new CallFrame(wasm);
        const threads = threadsFor(wasm, geo.n * geo.groups);
        const workspace = workspaceBytes(wasm, geo);
        const dx = frame.reserve(gradInput.byteLength);
        const args = frame.args([
          ...geometrySlots(geo),
          frame.input(gradOutput),
          frame.input(weight),
          dx,
          0,
          frame.reserve(workspace * threads),
          workspace,
        ]);
        runKernel(wasm, 'conv2dBackwardInput', args, threads);
        gradInput.set(frame.float32(dx, gradInput.length));
      },
      () => jsConv2d.backwardInput(gradOutput, weight, geo, gradInput),
    );
  },

  backwardWeight(gradOutput, x, geo, gradWeight) {
    if (!(gradOutput instanceof Float32Array && x instanceof Float32Array && gradWeight instanceof Float32Array))
      return jsConv2d.backwardWeight(gradOutput, x, geo, gradWeight);
    withWasm(
      (wasm) => {
        const frame = new CallFrame(wasm);
        const threads = threadsFor(wasm, geo.n * geo.groups);
        const workspace = workspaceBytes(wasm, geo);
        // One weight-sized partial per image, summed in image order after: see kernels/wasm/assembly/conv2d.ts.
        const partials = frame.reserve(geo.n * gradWeight.byteLength);
        const partialArgs = frame.args([
          ...geometrySlots(geo),
          frame.input(gradOutput),
          frame.input(x),
          partials,
          0,
          frame.reserve(workspace * threads),
          workspace,
        ]);
        runKernel(wasm, 'conv2dWeightPartials', partialArgs, threads);
        const dW = frame.reserve(gradWeight.byteLength);
        runKernel(wasm, 'reduceImages', frame.args([gradWeight.length, geo.n, partials, dW]), threadsFor(wasm, gradWeight.length / 1024));
        gradWeight.set(frame.float32(dW, gradWeight.length));
      },
      () => jsConv2d.backwardWeight(gradOutput, x, geo, gradWeight),
    );
  },
};
