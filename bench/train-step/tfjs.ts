/**
 * The TensorFlow.js row: the small CNN (bench/small-cnn/tfjs-model.ts) on the pure-JavaScript `cpu`
 * backend, batch norm in training mode, Adam through optimizer.minimize. About 16 seconds a step
 * here, so one step per round. (tfjs' wasm backend cannot take part: it has no conv
 * weight-gradient kernel.)
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainBatch } from '../small-cnn/batch';
import type { TimedSystem } from '../interleave';
import { tfjsSmallCnn } from '../small-cnn/tfjs-model';

export async function tfjsSystem(batch: TrainBatch): Promise<TimedSystem> {
  await tf.setBackend('cpu');
  await tf.ready();
  const [count, channels, size] = batch.shape;
  const model = tfjsSmallCnn(size, channels, batch.classes);
  const optimizer = tf.train.adam(1e-3);
  const x = tf.tidy(() => tf.tensor4d(batch.images, [count, channels, size, size]).transpose([0, 2, 3, 1]));
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(batch.labels, 'int32'), batch.classes));
  const loss = (): tf.Scalar => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor);
  return {
    name: `TensorFlow.js ${tf.version.tfjs} cpu`,
    batch: count,
    stepsPerRound: 1,
    async run(steps) {
      let value = NaN;
      const start = performance.now();
      for (let i = 0; i < steps; i++) {
        const cost = optimizer.minimize(loss, true);
        value = cost ? cost.dataSync()[0] : NaN;
        cost?.dispose();
      }
      return { ms: performance.now() - start, value };
    },
    close() {
      tf.dispose([x, y]);
      model.dispose();
      optimizer.dispose();
    },
  };
}
