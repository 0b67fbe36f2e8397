/**
 * Batch norm on the wasm backend (float32 data, float64 per-channel vectors): runs the passes and
 * the fused training calls of kernels/wasm/assembly/batchnorm.ts on the operands in wasm memory (copied in and out unless they
 * live there), the threads splitting the channels. float64 tensors take the js kernels.
 */
import type { TypedArray } from '../../base/dtype';
import type { ArgumentBlock, SharedBlock, SlotName } from '../wasm/argument-blocks';
import { callFrame } from '../wasm/call-frame';
import { runKernel, splitFor } from '../wasm/thread-pool';
import { wasmOrJs } from '../wasm/wasm-or-js';
import type { ChannelLayout } from './geometry';
import { jsBatchNorm } from './js';
import type { BatchNormKernels } from './kernels';

type BatchNormKernel =
  | 'batchNormChannelSums'
  | 'batchNormMoments'
  | 'batchNormNormalize'
  | 'batchNormGradientSums'
  | 'batchNormInputGradient'
  | 'batchNormTrainingForward'
  | 'batchNormTrainingBackward';
/** A pass's operands by slot name: its block without the layout every pass shares. */
type Operands<K extends BatchNormKernel> = Readonly<
  Record<Exclude<SlotName<K>, keyof SharedBlock<'batchNorm'>>, Float32Array | Float64Array>
>;

/**
 * Runs pass `name` on wasm memory: every operand but `outputs` is an input, those are written (in
 * place where they live in wasm memory, else copied back after); `js` runs the js pass where the data is not float32 or wasm cannot run.
 */
function pass<K extends BatchNormKernel>(
  name: K,
  layout: ChannelLayout,
  data: readonly TypedArray[],
  operands: Operands<K>,
  outputs: ReadonlyArray<keyof Operands<K>>,
  js: () => void,
): void {
  wasmOrJs(
    data,
    (wasm) => {
      const frame = callFrame(wasm);
      const addresses: Record<string, number> = { batch: layout.batch, channels: layout.channels, spatial: layout.spatial };
      for (const [slot, operand] of Object.entries<Float32Array | Float64Array>(operands)) {
        addresses[slot] = outputs.includes(slot as keyof Operands<K>) ? frame.outputAt(operand) : frame.input(operand);
      }
      const values = layout.batch * layout.channels * layout.spatial;
      runKernel(wasm, name, frame.args(name, addresses as ArgumentBlock<K>), splitFor(wasm, 'batchNorm', layout.channels, values));
      for (const slot of outputs) frame.output(addresses[slot as string], operands[slot]);
    },
    js,
  );
}

export const wasmBatchNorm: BatchNormKernels = {
  channelSums(x, layout, sums) {
    pass('batchNormChannelSums', layout, [x], { x, sums }, ['sums'], () => jsBatchNorm.channelSums(x, layout, sums));
  },

  channelMoments(x, layout, mean, variance) {
    pass('batchNormMoments', layout, [x], { x, mean, variance }, ['mean', 'variance'], () =>
      jsBatchNorm.channelMoments(x, layout, mean, variance),
    );
  },

  normalize(x, layout, mean, scale, shift, y) {
    pass('batchNormNormalize', layout, [x, y], { x, mean, scale, shift, y }, ['y'], () =>
      jsBatchNorm.normalize(x, layout, mean, scale, shift, y),
    );
  },

  gradientSums(dy, x, layout, mean, sumDy, sumDyCentered) {
    pass('batchNormGradientSums', layout, [dy, x], { dy, x, mean, sumDy, sumDyCentered }, ['sumDy', 'sumDyCentered'], () =>
      jsBatchNorm.gradientSums(dy, x, layout, mean, sumDy, sumDyCentered),
    );
  },

  inputGradient(dy, x, layout, k, dx) {
    pass('batchNormInputGradient', layout, [dy, x, dx], { dy, x, ...k, dx }, ['dx'], () => jsBatchNorm.inputGradient(dy, x, layout, k, dx));
  },

  trainingForward(x, layout, eps, gamma, beta, statistics, y) {
    const operands = { x, gamma, beta, eps: Float64Array.of(eps), ...statistics, y };
    pass('batchNormTrainingForward', layout, [x, y], operands, ['mean', 'variance', 'invStd', 'y'], () =>
      jsBatchNorm.trainingForward(x, layout, eps, gamma, beta, statistics, y),
    );
  },

  trainingBackward(dy, x, layout, statistics, gamma, sums, dx) {
    const operands = { dy, x, mean: statistics.mean, invStd: statistics.invStd, gamma, ...sums, dx };
    pass('batchNormTrainingBackward', layout, [dy, x, dx], operands, ['sumDy', 'sumDyCentered', 'dx'], () =>
      jsBatchNorm.trainingBackward(dy, x, layout, statistics, gamma, sums, dx),
    );
  },
};
