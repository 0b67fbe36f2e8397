/**
 * Dropout (Srivastava et al. 2014), inverted: in training each element is kept with probability
 * 1 − p and scaled by 1/(1 − p), so E[y] = x and evaluation needs no rescaling (identity).
 *
 *   forward:  y = x ⊙ M / (1 − p),   M ~ Bernoulli(1 − p) elementwise
 *   backward: dX = dY ⊙ M / (1 − p)
 *
 * p = 1 drops everything and returns zeros (the scale is taken as 0, never 1/0 = NaN).
 */
import { Tensor } from '../../lib/tensor';
import { allocate, DType } from '../../lib/dtype';
import { Shape, sizeOf } from '../../lib/shape';
import { Generator, defaultGenerator } from '../../lib/random/generator';
export type { DropOptions } from './noise-layer';
import { DropOptions, RateNoiseLayer, applyNoise } from './noise-layer';
import { checkProbability } from './validate';

/** A Bernoulli(1 − p) keep mask already scaled by 1/(1 − p) (all zeros when p = 1). */
export function bernoulliKeepMask(shape: Shape, p: number, dtype: DType, generator: Generator = defaultGenerator): Tensor {
  const scale = p === 1 ? 0 : 1 / (1 - p);
  const mask = allocate(dtype, sizeOf(shape));
  for (let i = 0; i < mask.length; i++) mask[i] = generator.random() < p ? 0 : scale;
  return Tensor.fromData(mask, shape);
}

export function dropoutMask(x: Tensor, p: number, options: DropOptions = {}): Tensor {
  return bernoulliKeepMask(x.shape, checkProbability('dropout', 'p', p), x.dtype, options.generator);
}

export function dropout(x: Tensor, p = 0.5, training = true, options: DropOptions = {}): Tensor {
  checkProbability('dropout', 'p', p);
  return applyNoise(x, training && p > 0, (t) => dropoutMask(t, p, options));
}

export class Dropout extends RateNoiseLayer {
  sampleMask(x: Tensor): Tensor {
    return dropoutMask(x, this.p, this.options);
  }
}
