/**
 * Uout (Li, Chen, Hu & Yang 2019, "Understanding the Disharmony between Dropout and Batch
 * Normalization by Variance Shift"): uniform multiplicative noise. Its variance shift between
 * training and test is far smaller than dropout's, so it can sit before BatchNorm.
 *
 *   forward:  y = x ⊙ (1 + u),   u ~ U(−β, β) elementwise      (E[1 + u] = 1, Var[u] = β²/3)
 *   backward: dX = dY ⊙ (1 + u)   (u is drawn independently of x)
 */
import { Tensor } from '../../lib/tensor';
import { defineOp } from '../../lib/define-op';
import { allocate } from '../../base/dtype';
import { generatorOf } from '../../lib/random/generator';
import { checkLayerOptions, type DropLayerOptions, type DropOptions, isTraining, type Noise, NoiseLayer } from './noise-layer';
import { checkNonNegative } from '../../lib/validate';
import { multiplyByMask } from './mask-product';

export function uoutMask(x: Tensor, beta: number, options: DropOptions = {}): Tensor {
  checkNonNegative('uout', 'beta', beta);
  const generator = generatorOf('uout', options.generator);
  const mask = allocate(x.dtype, x.numel);
  for (let i = 0; i < mask.length; i++) mask[i] = 1 + generator.uniform(-beta, beta);
  return Tensor.fromData(mask, x.shape);
}

/** y = x ⊙ m for drawn noise m = 1 + u; dX = dY ⊙ m. */
export const uoutOp = defineOp({
  name: 'uout',
  forward: (x: Tensor, noise: Tensor) => ({ output: multiplyByMask('uout', x, noise), saved: noise }),
  backward: (noise, gradOutput) => [multiplyByMask('uout', gradOutput, noise), null],
});

function applyUout(x: Tensor, beta: number, options: DropOptions): Noise {
  const mask = uoutMask(x, beta, options);
  return { output: uoutOp(x, mask), mask };
}

export function uout(x: Tensor, beta = 0.1, options: DropOptions = {}): Tensor {
  const training = isTraining('uout', options);
  checkNonNegative('uout', 'beta', beta);
  return training && beta > 0 ? applyUout(x, beta, options).output : x;
}

export class Uout extends NoiseLayer {
  constructor(
    readonly beta = 0.1,
    readonly options: DropLayerOptions = {},
  ) {
    super();
    checkLayerOptions('Uout', options);
    checkNonNegative('Uout', 'beta', beta);
  }

  protected applyNoise(x: Tensor): Noise {
    return applyUout(x, this.beta, this.options);
  }

  protected isIdentity(): boolean {
    return this.beta === 0;
  }

  protected override describe(): string {
    return `beta=${this.beta}`;
  }
}
