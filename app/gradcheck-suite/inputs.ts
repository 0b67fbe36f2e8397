/**
 * The seeded inputs the suite's checks are made of, each a leaf that requires grad: standard normal
 * values where any value will do, and two kinds kept away from the points where an op is not
 * differentiable (0 for log, sqrt, division and pow's base; the kinks of max, relu, abs, clamp).
 */
import type { Tensor } from '../../lib/tensor';
import { defaultGenerator } from '../../lib/random/generator';
import { rand, randn, tensor } from '../../lib/creation';
import { add } from '../../lib/ops/arithmetic';

export const leaf = (t: Tensor): Tensor => t.requiresGrad_();
export const normal = (...shape: number[]): Tensor => leaf(randn(shape));
/** Uniform in [0.5, 1.5): away from 0 for log, sqrt, division and pow's base. */
export const positive = (...shape: number[]): Tensor => leaf(add(rand(shape), 0.5).detach());
/** Distinct values spaced apart so max/relu/abs kinks are never straddled by ±eps. */
export const spaced = (...shape: number[]): Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, (_, i) => (i - n / 2 + 0.37) * 0.1);
  for (let i = n - 1; i > 0; i--) {
    const j = defaultGenerator.integer(0, i + 1); // shuffles the order; values stay spaced
    [values[i], values[j]] = [values[j], values[i]];
  }
  return leaf(tensor(values, { shape }));
};
