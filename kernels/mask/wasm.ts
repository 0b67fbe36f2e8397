/**
 * The drop masks on the wasm backend (float32): kernels/wasm/assembly/mask.ts over the operands where
 * they are in the wasm memory (an op's output usually is; any other is copied in and out).
 * bernoulliMask runs on the calling thread (one stream is one sequence); maskProduct's threads split
 * the mask. float64 and byte arrays take the js loops, and so do arrays shorter than minWasmLength,
 * whose whole js loop is cheaper than a wasm call's fixed cost.
 */
import type { TypedArray } from '../../base/dtype';
import { callFrame } from '../wasm/call-frame';
import { oneThread } from '../wasm/thread-cost';
import { runKernel, splitFor } from '../wasm/thread-pool';
import { wasmOrJs } from '../wasm/wasm-or-js';
import { jsMask } from './js';
import type { MaskKernels } from './kernels';

/**
 * Below this many values the js loops run: a wasm call costs ~15 µs whatever its size (relu's
 * measurement, kernels/relu/wasm.ts), about what the js loops take for 1,000 draws or 4,000 products.
 */
const minWasmLength = 4096;

/** The wasm kernels for float32 arrays of any length (the specs check them on short ones too). */
export const wasmMaskKernels: MaskKernels = {
  bernoulli(state, out, p, hit, miss, start, end) {
    if (!(out instanceof Float32Array)) return jsMask.bernoulli(state, out, p, hit, miss, start, end);
    wasmOrJs(
      [out],
      (wasm) => {
        const frame = callFrame(wasm);
        const words = frame.input(state);
        const result = frame.outputAt(out, start, end - start);
        const args = frame.args('bernoulliMask', {
          count: end - start,
          state: words,
          constants: frame.input(Float64Array.of(p, hit, miss)),
          out: result,
        });
        runKernel(wasm, 'bernoulliMask', args, oneThread);
        frame.output(words, state);
        frame.output(result, out, end - start, start);
      },
      () => jsMask.bernoulli(state, out, p, hit, miss, start, end),
    );
  },

  product(x: TypedArray, mask: TypedArray, run: number, out: TypedArray) {
    wasmOrJs(
      [x, mask, out],
      (wasm) => {
        const frame = callFrame(wasm);
        const result = frame.outputAt(out);
        const args = frame.args('maskProduct', {
          count: out.length,
          run,
          x: frame.input(x as Float32Array),
          mask: frame.input(mask as Float32Array),
          out: result,
        });
        const units = run === 1 ? Math.ceil(mask.length / 16) : mask.length;
        runKernel(wasm, 'maskProduct', args, splitFor(wasm, 'mask', units, out.length));
        frame.output(result, out as Float32Array);
      },
      () => jsMask.product(x, mask, run, out),
    );
  },
};

/** The wasm backend's masks: the wasm kernels from minWasmLength values on, else the js loops. */
export const wasmMask: MaskKernels = {
  bernoulli: (state, out, p, hit, miss, start, end) =>
    (end - start < minWasmLength ? jsMask : wasmMaskKernels).bernoulli(state, out, p, hit, miss, start, end),
  product: (x, mask, run, out) => (out.length < minWasmLength ? jsMask : wasmMaskKernels).product(x, mask, run, out),
};
