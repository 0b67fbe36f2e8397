/**
 * Alpha dropout (Klambauer et al. 2017, "Self-Normalizing Neural Networks"): for SELU networks.
 * Dropped units are set to SELU's negative saturation α' = −λα instead of 0, then an affine map
 * (a, b) restores zero mean and unit variance for standardised inputs:
 *
 *   a = ((1 − p)(1 + p·α'²))^(−1/2),   b = −a·α'·p
 *   forward:  y = a·(x ⊙ M + α'·(1 − M)) + b,   M ~ Bernoulli(1 − p)
 *   backward: dX = dY ⊙ a·M
 *
 * p = 1 keeps nothing: every output is the constant a·α' + b, which is 0 in the limit; we return
 * zeros, as PyTorch does.
 */
import { Tensor } from '../../lib/tensor';
import { allocate } from '../../lib/dtype';
import { defaultGenerator } from '../../lib/random/generator';
import { add } from '../../lib/ops/arithmetic';
import { zerosLike } from '../../lib/creation';
import { maskedScale } from './masked-scale';
import { DropOptions, RateNoiseLayer } from './noise-layer';
import { checkProbability } from './validate';

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;
const SATURATION = -SELU_SCALE * SELU_ALPHA; // α'

/** The keep mask M (0/1) for x. */
export function alphaDropoutMask(x: Tensor, p: number, options: DropOptions = {}): Tensor {
  checkProbability('alphaDropout', 'p', p);
  const generator = options.generator ?? defaultGenerator;
  const mask = allocate(x.dtype, x.numel);
  for (let i = 0; i < mask.length; i++) mask[i] = generator.random() < p ? 0 : 1;
  return Tensor.fromData(mask, x.shape);
}

/** y = a·(x ⊙ M) + (a·α'·(1 − M) + b): a masked scale plus a constant offset. */
export function applyAlphaDropout(x: Tensor, keep: Tensor, p: number): Tensor {
  if (p === 1) return maskedScale(x, zerosLike(keep));
  const a = 1 / Math.sqrt((1 - p) * (1 + p * SATURATION * SATURATION));
  const b = -a * SATURATION * p;
  const scaledKeep = Tensor.fromData(keep.contiguousData().map((m) => a * m), keep.shape);
  const offset = Tensor.fromData(keep.contiguousData().map((m) => a * SATURATION * (1 - m) + b), keep.shape);
  return add(maskedScale(x, scaledKeep), offset);
}

export function alphaDropout(x: Tensor, p = 0.5, training = true, options: DropOptions = {}): Tensor {
  checkProbability('alphaDropout', 'p', p);
  if (!training || p === 0) return x;
  return applyAlphaDropout(x, alphaDropoutMask(x, p, options), p);
}

export class AlphaDropout extends RateNoiseLayer {
  /** The 0/1 keep mask M of the last training forward. */
  sampleMask(x: Tensor): Tensor {
    return alphaDropoutMask(x, this.p, this.options);
  }

  override forward(x: Tensor): Tensor {
    if (!this.training || this.isIdentity()) return x;
    this.lastMask = this.sampleMask(x);
    return applyAlphaDropout(x, this.lastMask, this.p);
  }
}
