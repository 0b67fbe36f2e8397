/**
 * Batch norm on the wasm backend (float32 data, float64 per-channel vectors): copies the operands
 * into wasm memory, runs the passes of kernels/wasm/assembly/batchnorm.ts with the threads splitting
 * the channels, and copies the results out. float64 tensors take the js kernels.
 */
import { callFrame } from '../wasm/call-frame';
import { withWasm } from '../wasm/instance';
import type { KernelName } from '../wasm/kernel-names';
import { runKernel, threadsForValues } from '../wasm/thread-pool';
import type { ChannelLayout } from './geometry';
import { jsBatchNorm } from './js';
import type { BatchNormKernels } from './kernels';

type Operand = Float32Array | Float64Array;

/**
 * Runs pass `name` with `inputs` then `outputs` in the argument block after the layout (the slot
 * order of kernels/wasm/assembly/batchnorm.ts), copying the outputs back; `fallback` runs the js
 * pass where wasm is unavailable.
 */
function pass(name: KernelName, layout: ChannelLayout, inputs: Operand[], outputs: Operand[], fallback: () => void): void {
  withWasm((wasm) => {
    const frame = callFrame(wasm);
    const addresses = outputs.map((o) => frame.reserve(o.byteLength));
    const args = frame.args([layout.batch, layout.channels, layout.spatial, ...inputs.map((i) => frame.input(i)), ...addresses]);
    const values = layout.batch * layout.channels * layout.spatial;
    runKernel(wasm, name, args, threadsForValues(wasm, layout.channels, values));
    outputs.forEach((o, i) => {
      frame.output(addresses[i], o);
    });
  }, fallback);
}

export const wasmBatchNorm: BatchNormKernels = {
  channelMoments(x, layout, mean, variance) {
    const js = () => jsBatchNorm.channelMoments(x, layout, mean, variance);
    if (!(x instanceof Float32Array)) return js();
    pass('batchNormMoments', layout, [x], [mean, variance], js);
  },

  normalize(x, layout, mean, scale, shift, y) {
    const js = () => jsBatchNorm.normalize(x, layout, mean, scale, shift, y);
    if (!(x instanceof Float32Array && y instanceof Float32Array)) return js();
    pass('batchNormNormalize', layout, [x, mean, scale, shift], [y], js);
  },

  gradientSums(dy, x, layout, mean, sumDy, sumDyCentered) {
    const js = () => jsBatchNorm.gradientSums(dy, x, layout, mean, sumDy, sumDyCentered);
    if (!(dy instanceof Float32Array && x instanceof Float32Array)) return js();
    pass('batchNormGradientSums', layout, [dy, x, mean], [sumDy, sumDyCentered], js);
  },

  inputGradient(dy, x, layout, k, dx) {
    const js = () => jsBatchNorm.inputGradient(dy, x, layout, k, dx);
    if (!(dy instanceof Float32Array && x instanceof Float32Array && dx instanceof Float32Array)) return js();
    pass('batchNormInputGradient', layout, [dy, x, k.mean, k.gain, k.offset, k.slope], [dx], js);
  },
};
