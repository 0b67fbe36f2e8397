/**
 * Dropout (Srivastava et al. 2014), inverted: in training each element is kept with probability
 * 1 − p and scaled by 1/(1 − p), so E[y] = x and evaluation needs no rescaling (identity).
 *
 *   forward:  y = x ⊙ M / (1 − p),   M ~ Bernoulli(1 − p) elementwise
 *   backward: dX = dY ⊙ M / (1 − p)  (the mask does not depend on x, so ∂yᵢ/∂xᵢ = Mᵢ/(1 − p))
 *
 * p = 1 drops everything and returns zeros (the scale is taken as 0, never 1/0 = NaN).
 */
import { Tensor } from '../../lib/tensor';
import { defineOp } from '../../lib/define-op';
import { allocate, type DType } from '../../base/dtype';
import { type Shape, sizeOf } from '../../base/shape';
import { defaultGenerator, type Generator, generatorOf } from '../../lib/random/generator';
import { checkProbability } from '../../lib/validate';
import { type DropOptions, isTraining, type Noise, RateNoiseLayer } from './noise-layer';
import { multiplyByMask } from './mask-product';

/** A Bernoulli(1 − p) keep mask already scaled by 1/(1 − p) (all zeros when p = 1). */
export function bernoulliKeepMask(shape: Shape, p: number, dtype: DType, generator: Generator = defaultGenerator): Tensor {
  const scale = p === 1 ? 0 : 1 / (1 - p);
  const mask = allocate(dtype, sizeOf(shape));
  generator.fillBernoulli(mask, p, 0, scale);
  return Tensor.fromData(mask, shape);
}

export function dropoutMask(x: Tensor, p: number, options: DropOptions = {}): Tensor {
  return bernoulliKeepMask(x.shape, checkProbability('dropout', 'p', p), x.dtype, generatorOf('dropout', options.generator));
}

/** y = x ⊙ m for a drawn scaled mask m = M/(1 − p); dX = dY ⊙ m. */
export const dropoutOp = defineOp({
  name: 'dropout',
  forward: (x: Tensor, mask: Tensor) => ({ output: multiplyByMask('dropout', x, mask), saved: mask }),
  backward: (mask, gradOutput) => [multiplyByMask('dropout', gradOutput, mask), null],
});

function applyDropout(x: Tensor, p: number, options: DropOptions): Noise {
  const mask = dropoutMask(x, p, options);
  return { output: dropoutOp(x, mask), mask };
}

export function dropout(x: Tensor, p = 0.5, options: DropOptions = {}): Tensor {
  const training = isTraining('dropout', options);
  checkProbability('dropout', 'p', p);
  return training && p > 0 ? applyDropout(x, p, options).output : x;
}

export class Dropout extends RateNoiseLayer {
  protected applyNoise(x: Tensor): Noise {
    return applyDropout(x, this.p, this.options);
  }
}
