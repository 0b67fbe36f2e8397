/**
 * The TensorFlow.js row: the small CNN as a tf.sequential on the pure-JavaScript `cpu` backend, in
 * tfjs' native NHWC layout, batch norm in training mode, Adam through optimizer.minimize. About 16
 * seconds a step here, so one step per round. (tfjs' wasm backend cannot take part: it has no conv
 * weight-gradient kernel.)
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainBatch } from './batch';
import type { TrainingSystem } from './system';

export async function tfjsSystem(batch: TrainBatch): Promise<TrainingSystem> {
  await tf.setBackend('cpu');
  await tf.ready();
  const [count, channels, size] = batch.shape;
  const convStage = (filters: number, inputShape?: number[]): tf.layers.Layer[] => [
    tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias: false, ...(inputShape ? { inputShape } : {}) }),
    tf.layers.batchNormalization(),
    tf.layers.reLU(),
    tf.layers.maxPooling2d({ poolSize: 2 }),
  ];
  const model = tf.sequential({
    layers: [
      ...convStage(16, [size, size, channels]),
      ...convStage(32),
      tf.layers.flatten(),
      tf.layers.dense({ units: 128, activation: 'relu' }),
      tf.layers.dense({ units: batch.classes }),
    ],
  });
  const optimizer = tf.train.adam(1e-3);
  const x = tf.tidy(() => tf.tensor4d(batch.images, [count, channels, size, size]).transpose([0, 2, 3, 1]));
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(batch.labels, 'int32'), batch.classes));
  const loss = (): tf.Scalar => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor);
  return {
    name: `TensorFlow.js ${tf.version.tfjs} cpu`,
    stepsPerRound: 1,
    async run(steps) {
      let value = NaN;
      const start = performance.now();
      for (let i = 0; i < steps; i++) {
        const cost = optimizer.minimize(loss, true);
        value = cost ? cost.dataSync()[0] : NaN;
        cost?.dispose();
      }
      return { ms: performance.now() - start, loss: value };
    },
    close() {
      tf.dispose([x, y]);
      model.dispose();
      optimizer.dispose();
    },
  };
}
