/**
 * The standard normal CDF, Φ(x) = ½ erfc(−x/√2), to about 1e-15 absolute (test/power.spec.ts
 * checks it against mpmath). It is what the noncentral t needs beside the incomplete beta.
 *
 * erfc(z) for z ≥ 0 comes from one of two expansions, each used where it converges fast:
 *
 *   z < 3:  erf(z) = (2/√π) e^{−z²} Σ_{k≥0} 2^k z^{2k+1} / (1·3·…·(2k+1))
 *           (every term positive, so no cancellation; erfc = 1 − erf is then exact to ~1e-16
 *           absolute, which is all a probability needs)
 *   z ≥ 3:  erfc(z) = e^{−z²}/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …))))
 *           (Laplace's continued fraction, evaluated from its 40th term back: converged to float64
 *           for z ≥ 3, and accurate in relative terms far into the tail)
 */

function erfcNonNegative(z: number): number {
  if (z < 3) {
    let term = z;
    let sum = z;
    for (let k = 1; term > 1e-17 * sum; k++) {
      term *= (2 * z * z) / (2 * k + 1);
      sum += term;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * Math.exp(-z * z) * sum;
  }
  let fraction = z;
  for (let k = 40; k >= 1; k--) fraction = z + k / 2 / fraction;
  return Math.exp(-z * z) / Math.sqrt(Math.PI) / fraction;
}

/** P(Z ≤ x) for a standard normal Z; 0 and 1 at ∓Infinity. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) throw new RangeError('normalCdf: x must be a number, got NaN');
  return x >= 0 ? 1 - 0.5 * erfcNonNegative(x / Math.SQRT2) : 0.5 * erfcNonNegative(-x / Math.SQRT2);
}
