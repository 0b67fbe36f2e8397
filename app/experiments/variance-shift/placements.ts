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
import type { PlacementMeasures } from './report';
import { dropoutNoiseVariance, uoutNoiseVariance } from './noise-variance';

/** Which noise, how strong, and where: a row of the experiment. */
export type PlacementKind = Pick<PlacementMeasures, 'name' | 'kind' | 'strength' | 'position' | 'noiseVariance'>;

/** One placement of the noise in the MLP, with the layers its measurement reads. */
export interface Placement extends PlacementKind {
  model: Sequential;
  /** The noise layer (null for the model without noise), the linear layer after it, and the BN whose input is measured. */
  noise: NoiseLayer | null;
  linear: Linear;
  bn: BatchNorm1d;
  /** c in Var_train = Var_test + c·Σw²E[h²] at the measured BN (0 when no noise precedes it), and its zero-mean ratio 1/(1 + c). */
  c: number;
}

/** The rows: the model without noise (the reference), dropout at each p before the BN and after the last BN, Uout at each β before the BN. */
export function placementKinds(ps: readonly number[], betas: readonly number[]): PlacementKind[] {
  return [
    { name: 'no noise', kind: 'none', strength: 0, position: null, noiseVariance: 0 },
    ...ps.flatMap((p): PlacementKind[] => [
      { name: `dropout ${p} before BN`, kind: 'dropout', strength: p, position: 'before BN', noiseVariance: dropoutNoiseVariance(p) },
      {
        name: `dropout ${p} after the last BN`,
        kind: 'dropout',
        strength: p,
        position: 'after the last BN',
        noiseVariance: dropoutNoiseVariance(p),
      },
    ]),
    ...betas.map(
      (beta): PlacementKind => ({
        name: `Uout ${beta} before BN`,
        kind: 'uout',
        strength: beta,
        position: 'before BN',
        noiseVariance: uoutNoiseVariance(beta),
      }),
    ),
  ];
}

/**
 * A placement's model, from the seed's initial weights (the global generator is reseeded first, so
 * every placement of a seed starts from the same weights, and the masks drawn while it trains
 * follow from the seed alone, whichever other placements run).
 */
export function buildPlacement(kind: PlacementKind, inputSize: number, classes: number, width: number, seed: number): Placement {
  manualSeed(seed);
  const linear = new Linear(width, 128, { dtype: 'float32' });
  const bn = new BatchNorm1d(128, { dtype: 'float32' });
  const head = [new Linear(inputSize, width, { dtype: 'float32' }), new BatchNorm1d(width, { dtype: 'float32' }), new ReLU()];
  const [relu, classifier] = [new ReLU(), new Linear(128, classes, { dtype: 'float32' })];
  const noise = kind.kind === 'dropout' ? new Dropout(kind.strength) : kind.kind === 'uout' ? new Uout(kind.strength) : null;
  const layers: Module[] =
    noise === null
      ? [...head, linear, bn, relu, classifier]
      : kind.position === 'before BN'
        ? [...head, noise, linear, bn, relu, classifier]
        : [...head, linear, bn, relu, noise, classifier];
  const c = noise !== null && kind.position === 'before BN' ? kind.noiseVariance : 0;
  return { ...kind, model: new Sequential(new Flatten(), ...layers), noise, linear, bn, c };
}
