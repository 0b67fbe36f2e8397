/**
 * The noncentral t distribution: T' = (Z + λ) / √(V/ν) with Z standard normal and V χ² with ν
 * degrees of freedom, independent. It is the distribution of the two-sample t statistic when the
 * means really differ (λ = the true difference in standard errors), so its tails are a t-test's
 * power (power.ts).
 *
 * The CDF is Lenth's algorithm AS 243 (Applied Statistics 38, 1989), as R's pnt implements it: for
 * t ≥ 0, with x = t²/(t² + ν),
 *
 *   P(T' ≤ t) = Φ(−λ) + ½ Σ_{j≥0} [ p_j I_x(j + ½, ν/2) + q_j I_x(j + 1, ν/2) ]
 *
 * where p_j = e^{−λ²/2} (λ²/2)^j / j! and q_j = λ e^{−λ²/2} (λ²/2)^j / (√2 Γ(j + 3/2)) are Poisson
 * weights; the incomplete betas of successive j follow from one another by a recurrence, so only
 * the first is computed in full. The sum stops when the Poisson mass left bounds the error below
 * 1e-12. For t < 0, P(T' ≤ t; ν, λ) = 1 − P(T' ≤ −t; ν, −λ). Far out (ν > 4·10⁵ or λ² beyond where
 * e^{−λ²/2} underflows) the series gives way to the normal approximation R uses there. Matches
 * mpmath's integral of the defining density to ~1e-12 (test/power.spec.ts, fixtures from
 * scripts/fixtures/power.py).
 */
import { logGamma, regularizedIncompleteBeta } from './incomplete-beta';
import { normalCdf } from './normal';
import { studentTCdf } from './student-t';

const ERROR_BOUND = 1e-12;
const MAX_TERMS = 1000;

/** P(T' ≤ t) for ν = df degrees of freedom and noncentrality λ. */
export function noncentralTCdf(t: number, df: number, noncentrality: number): number {
  if (!(df > 0 && Number.isFinite(df)))
    throw new RangeError(`noncentralTCdf: df must be a positive finite number of degrees of freedom, got ${df}`);
  if (Number.isNaN(t)) throw new RangeError('noncentralTCdf: t must be a number, got NaN');
  if (!Number.isFinite(noncentrality)) throw new RangeError(`noncentralTCdf: noncentrality must be a finite number, got ${noncentrality}`);
  if (noncentrality === 0) return studentTCdf(t, df);
  // The series is for t ≥ 0; the left tail is the right tail of −T', whose noncentrality is −λ.
  const flipped = t < 0;
  const tt = Math.abs(t);
  const delta = flipped ? -noncentrality : noncentrality;
  const lower = flipped ? 1 - lowerTailNonNegative(tt, df, delta) : lowerTailNonNegative(tt, df, delta);
  return Math.min(1, Math.max(0, lower));
}

/** P(T' ≤ t) for t ≥ 0 (AS 243). */
function lowerTailNonNegative(t: number, df: number, delta: number): number {
  const lambda = delta * delta;
  if (df > 4e5 || lambda > 2 * Math.LN2 * 1021) {
    // e^{−λ²/2} would underflow, or ν is so large that T' is normal to float64's eye.
    const s = 1 / (4 * df);
    return normalCdf((t * (1 - s) - delta) / Math.sqrt(1 + t * t * 2 * s));
  }
  const x = (t * t) / (t * t + df);
  let sum = 0;
  if (x > 0) {
    let p = 0.5 * Math.exp(-0.5 * lambda);
    let q = Math.sqrt(2 / Math.PI) * p * delta;
    // The Poisson mass not yet summed; from e^{−λ²/2} directly when 0.5 − p would cancel.
    let left = 0.5 - p;
    if (left < 1e-7) left = -0.5 * Math.expm1(-0.5 * lambda);
    let a = 0.5;
    const b = 0.5 * df;
    const rxb = (1 - x) ** b;
    const logBeta = 0.5 * Math.log(Math.PI) + logGamma(b) - logGamma(0.5 + b);
    // I_x(a, b) for the odd (p) and the even (q) terms, and the steps between successive ones.
    let xOdd = regularizedIncompleteBeta(x, a, b);
    let gOdd = 2 * rxb * Math.exp(a * Math.log(x) - logBeta);
    const bx = b * x;
    let xEven = bx < Number.EPSILON ? bx : 1 - rxb;
    let gEven = bx * rxb;
    sum = p * xOdd + q * xEven;
    for (let j = 1; j <= MAX_TERMS; j++) {
      a += 1;
      xOdd -= gOdd;
      xEven -= gEven;
      gOdd *= (x * (a + b - 1)) / a;
      gEven *= (x * (a + b - 0.5)) / (a + 0.5);
      p *= lambda / (2 * j);
      q *= lambda / (2 * j + 1);
      sum += p * xOdd + q * xEven;
      left -= p;
      if ((left <= 0 && j > 1) || Math.abs(2 * left * (xOdd - gOdd)) < ERROR_BOUND) break;
    }
  }
  return sum + normalCdf(-delta);
}
