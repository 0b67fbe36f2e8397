/**
 * Alpha dropout (Klambauer et al. 2017, "Self-Normalizing Neural Networks"): for SELU networks.
 * Dropped units are set to SELU's negative saturation α' = −λα instead of 0, then an affine map
 * (a, b) restores zero mean and unit variance for standardised inputs:
 *
 *   a = ((1 − p)(1 + p·α'²))^(−1/2),   b = −a·α'·p
 *   forward:  y = a·(x ⊙ M + α'·(1 − M)) + b,   M ~ Bernoulli(1 − p)
 *   backward: dX = a·M ⊙ dY   (the offset a·α'·(1 − M) + b does not depend on x)
 *
 * p = 1 keeps nothing: every output is the constant a·α' + b, which is 0 in the limit; we return
 * zeros, as PyTorch does.
 */
import { Tensor } from '../../lib/tensor';
import { defineOp } from '../../lib/define-op';
import { allocate } from '../../base/dtype';
import { mul } from '../../lib/ops/arithmetic';
import { full } from '../../lib/creation';
import { generatorOf } from '../../lib/random/generator';
import { formatShape, sameShape } from '../../base/shape';
import { checkProbability } from '../../lib/validate';
import { type DropOptions, isTraining, type Noise, RateNoiseLayer } from './noise-layer';

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;
const SATURATION = -SELU_SCALE * SELU_ALPHA; // α'

/** The keep mask M (0/1) for x. */
export function alphaDropoutMask(x: Tensor, p: number, options: DropOptions = {}): Tensor {
  checkProbability('alphaDropout', 'p', p);
  const generator = generatorOf('alphaDropout', options.generator);
  const mask = allocate(x.dtype, x.numel);
  generator.fillBernoulli(mask, p, 0, 1);
  return Tensor.fromData(mask, x.shape);
}

/** The affine constants (a, b) for drop probability p ((0, 0) at p = 1: the output is zeros). */
function affine(p: number): { a: number; b: number } {
  if (p === 1) return { a: 0, b: 0 };
  const a = 1 / Math.sqrt((1 - p) * (1 + p * SATURATION * SATURATION));
  return { a, b: -a * SATURATION * p };
}

/** y = a·(x ⊙ M + α'·(1 − M)) + b for a drawn 0/1 keep mask M; dX = a·M ⊙ dY. */
export const alphaDropoutOp = defineOp({
  name: 'alphaDropout',
  forward: (x: Tensor, keep: Tensor, p: number) => {
    checkProbability('alphaDropout', 'p', p);
    if (!sameShape(x.shape, keep.shape)) {
      throw new RangeError(
        `alphaDropout: keep mask of shape ${formatShape(keep.shape)} must match the input's shape ${formatShape(x.shape)}`,
      );
    }
    const { a, b } = affine(p);
    const xs = x.values();
    const ms = keep.values();
    const out = allocate(x.dtype, x.numel);
    for (let i = 0; i < out.length; i++) out[i] = p === 1 ? 0 : a * (ms[i] * xs[i] + SATURATION * (1 - ms[i])) + b;
    return { output: Tensor.fromData(out, x.shape), saved: { keep, a } };
  },
  // (dY·a)·M with a kept in float64 (a number operand would take dY's dtype): M is 0 or 1, so
  // only dY·a is rounded, once, into dY's dtype, as a·M·dY always was.
  backward: ({ keep, a }, gradOutput) => [mul(mul(gradOutput, full([], a)), keep), null, null],
});

function applyAlphaDropout(x: Tensor, p: number, options: DropOptions): Noise {
  const mask = alphaDropoutMask(x, p, options);
  return { output: alphaDropoutOp(x, mask, p), mask };
}

export function alphaDropout(x: Tensor, p = 0.5, options: DropOptions = {}): Tensor {
  const training = isTraining('alphaDropout', options);
  checkProbability('alphaDropout', 'p', p);
  return training && p > 0 ? applyAlphaDropout(x, p, options).output : x;
}

/** lastMask is the 0/1 keep mask M of the last training forward. */
export class AlphaDropout extends RateNoiseLayer {
  protected applyNoise(x: Tensor): Noise {
    return applyAlphaDropout(x, this.p, this.options);
  }
}
