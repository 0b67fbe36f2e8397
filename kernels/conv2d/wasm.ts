/**
 * conv2d on the wasm backend (float32): copies the operands into wasm memory, runs the SIMD kernels
 * of kernels/wasm/assembly/conv2d.ts across the threads, and copies the result out. float64 tensors take the
 * js kernels: the wasm kernels are float32 only (see docs/kernels.md).
 */
import { type Conv2dGeometry, patchSize } from './geometry';
import { jsConv2d } from './js';
import type { Conv2dKernels } from './kernels';
import { type CallFrame, callFrame } from '../wasm/call-frame';
import { type WasmInstance, withWasm } from '../wasm/instance';
import type { KernelName } from '../wasm/kernel-names';
import { runKernel, threadsFor } from '../wasm/thread-pool';
import type { TypedArray } from '../../lib/dtype';

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

/** Runs conv2d kernel `name` on the geometry block, its four operand addresses and per-thread workspace. */
function runConv(wasm: WasmInstance, frame: CallFrame, name: KernelName, geo: Conv2dGeometry, operands: number[]): void {
  const threads = threadsFor(wasm, geo.n * geo.groups);
  const workspace = workspaceBytes(wasm, geo);
  runKernel(wasm, name, frame.args([...geometrySlots(geo), ...operands, frame.reserve(workspace * threads), workspace]), threads);
}

const isFloat32 = (array: TypedArray | null): array is Float32Array | null => array === null || array instanceof Float32Array;

export const wasmConv2d: Conv2dKernels = {
  forward(x, weight, bias, geo, out) {
    const js = () => jsConv2d.forward(x, weight, bias, geo, out);
    if (!(isFloat32(x) && isFloat32(weight) && isFloat32(bias) && isFloat32(out))) return js();
    withWasm((wasm) => {
      const frame = callFrame(wasm);
      const y = frame.reserve(out.byteLength);
      runConv(wasm, frame, 'conv2dForward', geo, [frame.input(x), frame.input(weight), bias ? frame.input(bias) : 0, y]);
      frame.output(y, out);
    }, js);
  },

  backwardInput(gradOutput, weight, geo, gradInput) {
    const js = () => jsConv2d.backwardInput(gradOutput, weight, geo, gradInput);
    if (!(isFloat32(gradOutput) && isFloat32(weight) && isFloat32(gradInput))) return js();
    withWasm((wasm) => {
      const frame = callFrame(wasm);
      const dx = frame.reserve(gradInput.byteLength);
      runConv(wasm, frame, 'conv2dBackwardInput', geo, [frame.input(gradOutput), frame.input(weight), dx, 0]);
      frame.output(dx, gradInput);
    }, js);
  },

  backwardWeight(gradOutput, x, geo, gradWeight) {
    const js = () => jsConv2d.backwardWeight(gradOutput, x, geo, gradWeight);
    if (!(isFloat32(gradOutput) && isFloat32(x) && isFloat32(gradWeight))) return js();
    withWasm((wasm) => {
      const frame = callFrame(wasm);
      // One weight-sized partial per image, summed in image order after (kernels/wasm/assembly/conv2d.ts):
      // the sum over the batch then does not depend on which thread computed which image.
      const partials = frame.reserve(geo.n * gradWeight.byteLength);
      runConv(wasm, frame, 'conv2dWeightPartials', geo, [frame.input(gradOutput), frame.input(x), partials, 0]);
      const dW = frame.reserve(gradWeight.byteLength);
      runKernel(wasm, 'reduceImages', frame.args([gradWeight.length, geo.n, partials, dW]), threadsFor(wasm, gradWeight.length / 1024));
      frame.output(dW, gradWeight);
    }, js);
  },
};
