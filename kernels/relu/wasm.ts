/**
 * relu on the wasm backend (float32): kernels/wasm/assembly/relu.ts over the operands where they
 * are in the wasm memory (an op's output usually is; any other is copied in and out), the threads
 * splitting the values. float64 arrays take the js loops.
 */
import type { TypedArray } from '../../base/dtype';
import { callFrame } from '../wasm/call-frame';
import type { WasmInstance } from '../wasm/instance';
import { runKernel, threadsFor } from '../wasm/thread-pool';
import { wasmOrJs } from '../wasm/wasm-or-js';
import { jsRelu } from './js';
import type { ReluKernels } from './kernels';

/** The kernel's share of the values is in runs of 16 (assembly/relu.ts): the pieces threads take. */
const threadsForValues = (wasm: WasmInstance, count: number): number => threadsFor(wasm, 'relu', Math.ceil(count / 16), count);

export const wasmRelu: ReluKernels = {
  forward(x, out) {
    wasmOrJs(
      [x, out],
      (wasm) => {
        const frame = callFrame(wasm);
        const result = frame.outputAt(out);
        const args = frame.args('reluForward', { count: x.length, x: frame.input(x as Float32Array), out: result });
        runKernel(wasm, 'reluForward', args, threadsForValues(wasm, x.length));
        frame.output(result, out as Float32Array);
      },
      () => jsRelu.forward(x, out),
    );
  },

  backward(dy: TypedArray, y: TypedArray, dx: TypedArray) {
    wasmOrJs(
      [dy, y, dx],
      (wasm) => {
        const frame = callFrame(wasm);
        const gradient = frame.outputAt(dx);
        const args = frame.args('reluBackward', {
          count: dy.length,
          dy: frame.input(dy as Float32Array),
          y: frame.input(y as Float32Array),
          dx: gradient,
        });
        runKernel(wasm, 'reluBackward', args, threadsForValues(wasm, dy.length));
        frame.output(gradient, dx as Float32Array);
      },
      () => jsRelu.backward(dy, y, dx),
    );
  },
};
