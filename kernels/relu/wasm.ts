/**
 * relu on the wasm backend (float32): kernels/wasm/assembly/relu.ts over the operands where they
 * are in the wasm memory (an op's output usually is; any other is copied in and out), the threads
 * splitting the values. float64 arrays take the js loops, and so do arrays shorter than
 * minWasmLength, whose whole js loop is cheaper than a wasm call's fixed cost.
 */
import type { TypedArray } from '../../base/dtype';
import { callFrame } from '../wasm/call-frame';
import type { WasmInstance } from '../wasm/instance';
import type { Split } from '../wasm/thread-cost';
import { runKernel, splitFor } from '../wasm/thread-pool';
import { wasmOrJs } from '../wasm/wasm-or-js';
import { jsRelu } from './js';
import type { ReluKernels } from './kernels';

/** The kernel's shares of the values are in runs of 16 (assembly/relu.ts): the pieces a call splits into. */
const splitForValues = (wasm: WasmInstance, count: number): Split => splitFor(wasm, 'relu', Math.ceil(count / 16), count);

/**
 * Below this many values relu runs the js loop: a wasm call costs ~15 µs whatever its size (the
 * frame, the argument block, the copies' bookkeeping), the js forward 4.7 µs over 2048 values
 * (backward 7.3); from 4096 values on, where an op's output lives in the wasm memory, the wasm
 * call was the faster (8.4 µs against 9.4 and 14.6; 2 threads available, load average 4).
 */
const minWasmLength = 4096;

/** The wasm kernels for float32 arrays of any length (the specs check them on short ones too). */
export const wasmReluKernels: ReluKernels = {
  forward(x, out) {
    wasmOrJs(
      [x, out],
      (wasm) => {
        const frame = callFrame(wasm);
        const result = frame.outputAt(out);
        const args = frame.args('reluForward', { count: x.length, x: frame.input(x as Float32Array), out: result });
        runKernel(wasm, 'reluForward', args, splitForValues(wasm, x.length));
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
        runKernel(wasm, 'reluBackward', args, splitForValues(wasm, dy.length));
        frame.output(gradient, dx as Float32Array);
      },
      () => jsRelu.backward(dy, y, dx),
    );
  },
};

/** The wasm backend's relu: the wasm kernels from minWasmLength values on, else the js loops. */
export const wasmRelu: ReluKernels = {
  forward: (x, out) => (x.length < minWasmLength ? jsRelu : wasmReluKernels).forward(x, out),
  backward: (dy, y, dx) => (dy.length < minWasmLength ? jsRelu : wasmReluKernels).backward(dy, y, dx),
};
