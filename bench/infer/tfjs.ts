/**
 * The TensorFlow.js row of the inference benchmark: bench/small-cnn/tfjs-model.ts on tfjs' wasm
 * backend (XNNPACK, SIMD; one thread in Node), carrying dropgrad's weights, run in inference mode
 * (batch norm on its running statistics) on the batch in tfjs' native NHWC layout.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { nn } from '../../index';
import { threadsName } from '../harness';
import type { TimedSystem } from '../interleave';
import type { TrainBatch } from '../small-cnn/batch';
import { outputSum } from './outputs';
import { tfjsSmallCnn } from '../small-cnn/tfjs-model';

/** dropgrad layer class → the tfjs layer class that takes its weights, in tfjs' weight order. */
function tfjsWeights(module: nn.Module, layer: tf.layers.Layer, previous: tf.layers.Layer | undefined): tf.Tensor[] {
  const state = module.stateDict();
  const t = (key: string): tf.Tensor => tf.tensor(state[key].data as Float32Array, [...state[key].shape]);
  const expect = (className: string): void => {
    if (layer.getClassName() !== className)
      throw new Error(`infer: dropgrad's ${module.constructor.name} meets tfjs' ${layer.getClassName()}, expected ${className}`);
  };
  if (module instanceof nn.Conv2d) {
    expect('Conv2D');
    return [t('weight').transpose([2, 3, 1, 0])]; // [out, in, kH, kW] → [kH, kW, in, out]
  }
  if (module instanceof nn.BatchNorm2d) {
    expect('BatchNormalization');
    return [t('weight'), t('bias'), t('running_mean'), t('running_var')]; // gamma, beta, moving mean, moving variance
  }
  if (module instanceof nn.Linear) {
    expect('Dense');
    const weight = t('weight'); // [out, in]
    const flattened = previous?.getClassName() === 'Flatten' ? (previous.input as tf.SymbolicTensor).shape : undefined;
    if (!flattened) return [weight.transpose(), t('bias')];
    // dropgrad flattens C×H×W, tfjs H×W×C: reorder the inputs of the layer that follows the flatten.
    const [, height, width, channels] = flattened as number[];
    const [outputs] = weight.shape;
    const kernel = weight
      .reshape([outputs, channels, height, width])
      .transpose([2, 3, 1, 0])
      .reshape([height * width * channels, outputs]);
    return [kernel, t('bias')];
  }
  throw new Error(`infer: no tfjs counterpart for dropgrad's ${module.constructor.name}`);
}

/** The tfjs twin of `model` (models.smallCnn) on the wasm backend, with `model`'s weights. */
export async function tfjsTwin(model: nn.Sequential, batch: TrainBatch): Promise<tf.Sequential> {
  await tf.setBackend('wasm');
  await tf.ready();
  const [, channels, size] = batch.shape;
  const twin = tfjsSmallCnn(size, channels, batch.classes);
  const weighted = model.children().filter((m) => m.parameters().length > 0);
  const layers = twin.layers.filter((layer) => layer.getWeights().length > 0);
  if (weighted.length !== layers.length)
    throw new Error(`infer: dropgrad's model has ${weighted.length} layers with weights, the tfjs twin ${layers.length}`);
  layers.forEach((layer, i) => {
    const weights = tf.tidy(() => tfjsWeights(weighted[i], layer, twin.layers[twin.layers.indexOf(layer) - 1]));
    layer.setWeights(weights);
    tf.dispose(weights);
  });
  return twin;
}

/** The batch as tfjs takes it: NHWC, transposed once here rather than in every timed step. */
export const tfjsInput = (batch: TrainBatch): tf.Tensor4D =>
  tf.tidy(() => tf.tensor4d(batch.images, [...batch.shape]).transpose<tf.Tensor4D>([0, 2, 3, 1]));

/** The twin's outputs for `x`, read back to JavaScript (as dropgrad's are). */
export function tfjsForward(twin: tf.Sequential, x: tf.Tensor4D): Float32Array {
  const output = tf.tidy(() => twin.apply(x, { training: false }) as tf.Tensor);
  const values = output.dataSync() as Float32Array;
  output.dispose();
  return values;
}

export function tfjsInference(twin: tf.Sequential, batch: TrainBatch, stepsPerRound: number): TimedSystem {
  const x = tfjsInput(batch);
  return {
    name: `TensorFlow.js ${tf.version.tfjs} wasm (${threadsName(getThreadsCount())})`,
    batch: batch.shape[0],
    stepsPerRound,
    async run(steps) {
      let output: Float32Array | undefined;
      const start = performance.now();
      for (let i = 0; i < steps; i++) output = tfjsForward(twin, x);
      const ms = performance.now() - start;
      return { ms, value: output ? outputSum(output) : NaN };
    },
    close() {
      x.dispose();
    },
  };
}
