/**
 * The layer shape shared by every multiplicative-noise technique: in training, draw a mask, keep
 * it in `lastMask` for inspection, and return x ⊙ mask; in evaluation (or at zero strength), the
 * identity. Subclasses say how the mask is drawn.
 */
import { Tensor } from '../../lib/tensor';
import { Module } from '../module';
import { maskedScale } from './masked-scale';
import { checkProbability } from './validate';
import type { Generator } from '../../lib/random/generator';

export interface DropOptions {
  /** Where the mask's randomness comes from (default: the global generator, seeded by manualSeed). */
  generator?: Generator;
}

export abstract class NoiseLayer extends Module {
  /** The (scaled) mask of the last training forward; null before the first one. */
  lastMask: Tensor | null = null;

  /** Draws the mask for input x (broadcastable to x's shape, scaling included). */
  abstract sampleMask(x: Tensor): Tensor;

  /** True when the layer would not change its input (e.g. p = 0). */
  protected abstract isIdentity(): boolean;

  override forward(x: Tensor): Tensor {
    if (!this.training || this.isIdentity()) return x;
    this.lastMask = this.sampleMask(x);
    return maskedScale(x, this.lastMask);
  }
}

/** A noise layer whose strength is one drop probability p (identity at p = 0). */
export abstract class RateNoiseLayer extends NoiseLayer {
  constructor(
    readonly p = 0.5,
    readonly options: DropOptions = {},
  ) {
    super();
    checkProbability(new.target.name, 'p', p, { allowOne: new.target.allowsCertainDrop });
  }

  /** Whether p = 1 is meaningful (it is for Bernoulli masks; not for Gaussian noise). */
  static allowsCertainDrop = true;

  protected isIdentity(): boolean {
    return this.p === 0;
  }

  protected override describe(): string {
    return `p=${this.p}`;
  }
}

/** The functional form of the same rule: x ⊙ sample(x) in training, x otherwise. */
export function applyNoise(x: Tensor, active: boolean, sample: (x: Tensor) => Tensor): Tensor {
  return active ? maskedScale(x, sample(x)) : x;
}
