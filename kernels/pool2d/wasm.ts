/**
 * pool2d on the wasm backend (float32): copies the operands into wasm memory, runs the kernels of
 * kernels/wasm/assembly/pool2d.ts with the threads splitting the planes, and copies the results
 * out. float64 tensors take the js kernels (the wasm kernels are float32 only).
 */
import { callFrame } from '../wasm/call-frame';
import { type WasmInstance, withWasm } from '../wasm/instance';
import type { KernelName } from '../wasm/kernel-names';
import { runKernel, threadsForValues } from '../wasm/thread-pool';
import type { AvgPool2dGeometry, MaxPool2dGeometry } from './geometry';
import { jsPool2d } from './js';
import type { Pool2dKernels } from './kernels';

const threadsForPlanes = (wasm: WasmInstance, planes: number, planeSize: number): number =>
  threadsForValues(wasm, planes, planes * planeSize);

/** The max pool geometry block (slot order of kernels/wasm/assembly/pool2d.ts). */
const maxSlots = (g: MaxPool2dGeometry): number[] => [
  g.planes,
  g.inH,
  g.inW,
  g.outH,
  g.outW,
  g.kH,
  g.kW,
  g.sH,
  g.sW,
  g.pH,
  g.pW,
  g.dH,
  g.dW,
];

/** Runs an average pool pass: `source` in, `target` (+)= out; the windows travel as their i32/f64 tables. */
function averagePass(name: KernelName, source: Float32Array, g: AvgPool2dGeometry, target: Float32Array, accumulate: boolean): void {
  withWasm(
    (wasm) => {
      const frame = callFrame(wasm);
      const { rows, cols } = g;
      const result = accumulate ? frame.input(target) : frame.reserve(target.byteLength);
      const args = frame.args([
        g.planes,
        g.inH,
        g.inW,
        rows.start.length,
        cols.start.length,
        frame.input(rows.start),
        frame.input(rows.end),
        frame.input(rows.divisor),
        frame.input(cols.start),
        frame.input(cols.end),
        frame.input(cols.divisor),
        frame.input(source),
        result,
      ]);
      runKernel(wasm, name, args, threadsForPlanes(wasm, g.planes, g.inH * g.inW));
      frame.output(result, target);
    },
    () => (accumulate ? jsPool2d.avgPool2dBackward(source, g, target) : jsPool2d.avgPool2dForward(source, g, target)),
  );
}

export const wasmPool2d: Pool2dKernels = {
  maxPool2dForward(x, g, out, argmax) {
    if (!(x instanceof Float32Array && out instanceof Float32Array)) return jsPool2d.maxPool2dForward(x, g, out, argmax);
    withWasm(
      (wasm) => {
        const frame = callFrame(wasm);
        const values = frame.reserve(out.byteLength);
        const indices = frame.reserve(argmax.byteLength);
        const args = frame.args([...maxSlots(g), frame.input(x), values, indices]);
        runKernel(wasm, 'maxPool2dForward', args, threadsForPlanes(wasm, g.planes, g.inH * g.inW));
        frame.output(values, out);
        frame.output(indices, argmax);
      },
      () => jsPool2d.maxPool2dForward(x, g, out, argmax),
    );
  },

  maxPool2dBackward(dy, argmax, g, dx) {
    if (!(dy instanceof Float32Array && dx instanceof Float32Array)) return jsPool2d.maxPool2dBackward(dy, argmax, g, dx);
    withWasm(
      (wasm) => {
        const frame = callFrame(wasm);
        const gradient = frame.input(dx);
        const args = frame.args([...maxSlots(g), frame.input(dy), frame.input(argmax), gradient]);
        runKernel(wasm, 'maxPool2dBackward', args, threadsForPlanes(wasm, g.planes, g.inH * g.inW));
        frame.output(gradient, dx);
      },
      () => jsPool2d.maxPool2dBackward(dy, argmax, g, dx),
    );
  },

  avgPool2dForward(x, g, out) {
    if (!(x instanceof Float32Array && out instanceof Float32Array)) return jsPool2d.avgPool2dForward(x, g, out);
    averagePass('avgPool2dForward', x, g, out, false);
  },

  avgPool2dBackward(dy, g, dx) {
    if (!(dy instanceof Float32Array && dx instanceof Float32Array)) return jsPool2d.avgPool2dBackward(dy, g, dx);
    averagePass('avgPool2dBackward', dy, g, dx, true);
  },
};
