/**
 * dropgrad's rows: the default small CNN (models.smallCnn, float32; with drop layers if asked) trained
 * with Adam under one of bench/small-cnn/dropgrad-configurations.ts' configurations (a backend, a
 * thread count).
 */
import { Generator, crossEntropy, models, optim, tensor } from '../../index';
import type { SmallCnnRegularizers } from '../../nn/models/small-cnn';
import type { DropgradConfiguration } from '../small-cnn/dropgrad-configurations';
import type { TimedSystem } from '../interleave';
import type { TrainBatch } from '../small-cnn/batch';

export function dropgradSystem(
  configuration: DropgradConfiguration,
  batch: TrainBatch,
  seed: number,
  regularizers: { name: string; settings: SmallCnnRegularizers } = { name: 'none', settings: {} },
): TimedSystem {
  const model = models.smallCnn({
    dtype: 'float32',
    generator: new Generator(seed),
    numClasses: batch.classes,
    regularizers: regularizers.settings,
  });
  const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const x = tensor(batch.images, { shape: [...batch.shape] });
  const y = tensor(Float32Array.from(batch.labels));
  return {
    name: regularizers.name === 'none' ? configuration.name : `${configuration.name}, ${regularizers.name}`,
    batch: batch.shape[0],
    stepsPerRound: 3,
    async run(steps) {
      configuration.apply();
      let loss = NaN;
      const start = performance.now();
      for (let i = 0; i < steps; i++) {
        optimizer.zeroGrad();
        const output = crossEntropy(model.forward(x), y);
        output.backward();
        optimizer.step();
        loss = output.item();
      }
      return { ms: performance.now() - start, value: loss };
    },
    close() {},
  };
}
