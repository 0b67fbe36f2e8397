/**
 * models.smallCnn's layers as a TensorFlow.js tf.sequential, in tfjs' native NHWC layout: trained
 * on the cpu backend by bench/train-step/tfjs.ts, run with dropgrad's weights on the wasm backend by
 * bench/infer/tfjs.ts. Batch norm takes dropgrad's (PyTorch's) eps 1e-5 and momentum 0.1, which
 * Keras spells 0.9 (the weight of the old running value); its defaults are 1e-3 and 0.99.
 */
import * as tf from '@tensorflow/tfjs';

export function tfjsSmallCnn(size: number, channels: number, classes: number): tf.Sequential {
  const convStage = (filters: number, inputShape?: number[]): tf.layers.Layer[] => [
    tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias: false, ...(inputShape ? { inputShape } : {}) }),
    tf.layers.batchNormalization({ epsilon: 1e-5, momentum: 0.9 }),
    tf.layers.reLU(),
    tf.layers.maxPooling2d({ poolSize: 2 }),
  ];
  return tf.sequential({
    layers: [
      ...convStage(16, [size, size, channels]),
      ...convStage(32),
      tf.layers.flatten(),
      tf.layers.dense({ units: 128, activation: 'relu' }),
      tf.layers.dense({ units: classes }),
    ],
  });
}
