/**
 * dropgrad's inference rows: one models.smallCnn (float32) in eval mode, shared by every row so that
 * they all run the same weights, its forward pass under noGrad on a fixed batch.
 */
import { Generator, type Tensor, models, nn, noGrad, tensor } from '../../index';
import type { TimedSystem } from '../interleave';
import type { TrainBatch } from '../small-cnn/batch';
import type { DropgradConfiguration } from '../small-cnn/dropgrad-configurations';
import { outputSum } from './outputs';

/**
 * The small CNN with its initial weights, and batch norm's affine weights and running statistics
 * drawn at random too: left at 1, 0, 0 and 1, eval-mode batch norm would be nearly the identity and
 * the check against TensorFlow.js could not catch its parameters landing in the wrong slots.
 */
export function inferenceModel(seed: number, classes: number): nn.Sequential {
  const generator = new Generator(seed);
  const model = models.smallCnn({ dtype: 'float32', generator, numClasses: classes }).eval();
  const uniform = (low: number, high: number): number => low + (high - low) * generator.random();
  const ranges: Record<string, [number, number]> = {
    weight: [0.5, 1.5],
    bias: [-0.5, 0.5],
    running_mean: [-0.5, 0.5],
    running_var: [0.5, 2],
  };
  const state = model.stateDict();
  for (const [path, module] of model.namedModules()) {
    if (!(module instanceof nn.BatchNorm2d)) continue;
    for (const [name, [low, high]] of Object.entries(ranges)) {
      const data = state[`${path}.${name}`].data;
      for (let i = 0; i < data.length; i++) data[i] = uniform(low, high);
    }
  }
  model.loadStateDict(state);
  return model;
}

/** The model's output for the batch, on whatever backend is selected. */
export const dropgradForward = (model: nn.Module, x: Tensor): Tensor => noGrad(() => model.forward(x));

export function dropgradInference(
  configuration: DropgradConfiguration,
  model: nn.Module,
  batch: TrainBatch,
  stepsPerRound: number,
): TimedSystem {
  const x = tensor(batch.images, { shape: [...batch.shape] });
  return {
    name: configuration.name,
    batch: batch.shape[0],
    stepsPerRound,
    async run(steps) {
      configuration.apply();
      let output: Tensor | undefined;
      const start = performance.now();
      for (let i = 0; i < steps; i++) output = dropgradForward(model, x);
      const ms = performance.now() - start;
      return { ms, value: output ? outputSum(output.data) : NaN };
    },
    close() {},
  };
}
