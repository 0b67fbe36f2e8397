/**
 * Gaussian dropout (Srivastava et al. 2014, §10): multiply by Gaussian noise whose mean and
 * variance match Bernoulli dropout's scaled mask M/(1 − p): mean 1, variance p/(1 − p).
 *
 *   forward:  y = x ⊙ m,   m ~ N(1, σ² = p / (1 − p)) elementwise
 *   backward: dX = dY ⊙ m
 *
 * p = 1 would need infinite variance, so p must be in [0, 1).
 */
import { Tensor } from '../../lib/tensor';
import { allocate } from '../../lib/dtype';
import { defaultGenerator } from '../../lib/random/generator';
import { DropOptions, RateNoiseLayer, applyNoise } from './noise-layer';
import { checkProbability } from './validate';

export function gaussianDropoutMask(x: Tensor, p: number, options: DropOptions = {}): Tensor {
  checkProbability('gaussianDropout', 'p', p, { allowOne: false });
  const generator = options.generator ?? defaultGenerator;
  const std = Math.sqrt(p / (1 - p));
  const mask = allocate(x.dtype, x.numel);
  for (let i = 0; i < mask.length; i++) mask[i] = generator.normal(1, std);
  return Tensor.fromData(mask, x.shape);
}

export function gaussianDropout(x: Tensor, p = 0.5, training = true, options: DropOptions = {}): Tensor {
  checkProbability('gaussianDropout', 'p', p, { allowOne: false });
  return applyNoise(x, training && p > 0, (t) => gaussianDropoutMask(t, p, options));
}

export class GaussianDropout extends RateNoiseLayer {
  static override allowsCertainDrop = false;

  sampleMask(x: Tensor): Tensor {
    return gaussianDropoutMask(x, this.p, this.options);
  }
}
