import { manualSeed } from '../../../lib/random/generator';
import type { Module } from '../../../nn/module';
import { Sequential } from '../../../nn/containers';
import { Flatten } from '../../../nn/flatten';
import { Linear } from '../../../nn/linear';
import { BatchNorm1d } from '../../../nn/batchnorm';
import { ReLU } from '../../../nn/activations';
import { Dropout } from '../../../nn/drop/dropout';
import { Uout } from '../../../nn/drop/uout';
import type { NoiseLayer } from '../../../nn/drop/noise-layer';

/** One placement of the noise in the MLP, with the layers its measurement reads. */
export interface Placement {
  name: string;
  model: Sequential;
  /** The noise layer, the linear layer after it, and the BN whose input is measured. */
  noise: NoiseLayer;
  linear: Linear;
  bn: BatchNorm1d;
  /** c in Var_train = Var_test + c·Σw²E[h²], and its zero-mean ratio 1/(1 + c). */
  c: number;
}

/** The three placements, each from the same initial weights (the generator is reseeded for each). */
export function buildPlacements(inputSize: number, classes: number, p: number, beta: number, width: number, seed: number): Placement[] {
  const make = (name: string, noise: NoiseLayer, c: number, noiseBeforeBn: boolean): Placement => {
    manualSeed(seed);
    const linear = new Linear(width, 128, { dtype: 'float32' });
    const bn = new BatchNorm1d(128, { dtype: 'float32' });
    const head = [new Linear(inputSize, width, { dtype: 'float32' }), new BatchNorm1d(width, { dtype: 'float32' }), new ReLU()];
    const layers: Module[] = noiseBeforeBn
      ? [...head, noise, linear, bn, new ReLU(), new Linear(128, classes, { dtype: 'float32' })]
      : [...head, linear, bn, new ReLU(), noise, new Linear(128, classes, { dtype: 'float32' })];
    return { name, model: new Sequential(new Flatten(), ...layers), noise, linear, bn, c: noiseBeforeBn ? c : 0 };
  };
  return [
    make(`dropout ${p} before BN`, new Dropout(p), p / (1 - p), true),
    make(`dropout ${p} after the last BN`, new Dropout(p), p / (1 - p), false),
    make(`Uout ${beta} before BN`, new Uout(beta), (beta * beta) / 3, true),
  ];
}
