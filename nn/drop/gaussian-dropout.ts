/**
 * Gaussian dropout (Srivastava et al. 2014, §10): multiply by Gaussian noise whose mean and
 * variance match Bernoulli dropout's scaled mask M/(1 − p): mean 1, variance p/(1 − p).
 *
 *   forward:  y = x ⊙ m,   m ~ N(1, σ² = p / (1 − p)) elementwise
 *   backward: dX = dY ⊙ m   (the noise is drawn independently of x)
 *
 * p = 1 would need infinite variance, so p must be in [0, 1).
 */
import { Tensor } from '../../lib/tensor';
import { defineOp } from '../../lib/define-op';
import { allocate } from '../../base/dtype';
import { generatorOf } from '../../lib/random/generator';
import { checkProbability } from '../../lib/validate';
import { type DropOptions, isTraining, type Noise, RateNoiseLayer } from './noise-layer';
import { multiplyByMask } from './mask-product';

export function gaussianDropoutMask(x: Tensor, p: number, options: DropOptions = {}): Tensor {
  checkProbability('gaussianDropout', 'p', p, { allowOne: false });
  const generator = generatorOf('gaussianDropout', options.generator);
  const std = Math.sqrt(p / (1 - p));
  const mask = allocate(x.dtype, x.numel);
  for (let i = 0; i < mask.length; i++) mask[i] = generator.normal(1, std);
  return Tensor.fromData(mask, x.shape);
}

/** y = x ⊙ m for drawn noise m ~ N(1, p/(1 − p)); dX = dY ⊙ m. */
export const gaussianDropoutOp = defineOp({
  name: 'gaussianDropout',
  forward: (x: Tensor, noise: Tensor) => ({ output: multiplyByMask('gaussianDropout', x, noise), saved: noise }),
  backward: (noise, gradOutput) => [multiplyByMask('gaussianDropout', gradOutput, noise), null],
});

function applyGaussianDropout(x: Tensor, p: number, options: DropOptions): Noise {
  const mask = gaussianDropoutMask(x, p, options);
  return { output: gaussianDropoutOp(x, mask), mask };
}

export function gaussianDropout(x: Tensor, p = 0.5, options: DropOptions = {}): Tensor {
  const training = isTraining('gaussianDropout', options);
  checkProbability('gaussianDropout', 'p', p, { allowOne: false });
  return training && p > 0 ? applyGaussianDropout(x, p, options).output : x;
}

export class GaussianDropout extends RateNoiseLayer {
  static override allowsCertainDrop = false;

  protected applyNoise(x: Tensor): Noise {
    return applyGaussianDropout(x, this.p, this.options);
  }
}
