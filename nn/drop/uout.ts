/**
 * Uout (Li, Chen, Hu & Yang 2019, "Understanding the Disharmony between Dropout and Batch
 * Normalization by Variance Shift"): uniform multiplicative noise. Its variance shift between
 * training and test is far smaller than dropout's, so it can sit before BatchNorm.
 *
 *   forward:  y = x ⊙ (1 + u),   u ~ U(−β, β) elementwise      (E[1 + u] = 1, Var[u] = β²/3)
 *   backward: dX = dY ⊙ (1 + u)
 */
import { Tensor } from '../../lib/tensor';
import { allocate } from '../../lib/dtype';
import { defaultGenerator } from '../../lib/random/generator';
import { DropOptions, NoiseLayer, applyNoise } from './noise-layer';

function checkBeta(where: string, beta: number): number {
  if (!(beta >= 0) || !Number.isFinite(beta)) throw new RangeError(`${where}: beta must be a finite number ≥ 0, got ${beta}`);
  return beta;
}

export function uoutMask(x: Tensor, beta: number, options: DropOptions = {}): Tensor {
  checkBeta('uout', beta);
  const generator = options.generator ?? defaultGenerator;
  const mask = allocate(x.dtype, x.numel);
  for (let i = 0; i < mask.length; i++) mask[i] = 1 + generator.uniform(-beta, beta);
  return Tensor.fromData(mask, x.shape);
}

export function uout(x: Tensor, beta = 0.1, training = true, options: DropOptions = {}): Tensor {
  checkBeta('uout', beta);
  return applyNoise(x, training && beta > 0, (t) => uoutMask(t, beta, options));
}

export class Uout extends NoiseLayer {
  constructor(
    readonly beta = 0.1,
    readonly options: DropOptions = {},
  ) {
    super();
    checkBeta('Uout', beta);
  }

  sampleMask(x: Tensor): Tensor {
    return uoutMask(x, this.beta, this.options);
  }

  protected isIdentity(): boolean {
    return this.beta === 0;
  }

  protected override describe(): string {
    return `beta=${this.beta}`;
  }
}
