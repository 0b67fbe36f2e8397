/**
 * Student's t distribution with ν degrees of freedom (ν > 0, fractional allowed, as Welch's ν is):
 * its upper tail, its CDF and its quantile.
 *
 *   P(T ≥ t) = ½ I_{ν/(ν+t²)}(ν/2, ½)  for t ≥ 0,   and by symmetry P(T ≥ −t) = 1 − P(T ≥ t)
 *
 * with I the regularized incomplete beta function. Near t = 0 the argument ν/(ν+t²) is close to 1
 * and 1 − it loses digits, so there the tail is ½ − ½ I_{t²/(ν+t²)}(½, ν/2), the same value by
 * I_x(a, b) = 1 − I_{1−x}(b, a) with 1 − x computed directly.
 *
 * The quantile has no closed form for general ν: it is found by bisection on the tail, which is
 * monotone, so it cannot diverge or jump to the wrong branch as Newton's method can from a bad
 * start; it stops when the bracket can no longer shrink in float64, so the answer is as accurate as
 * the tail itself (~1e-14 relative). Matches scipy.stats.t (test/student-t.spec.ts; references from
 * scripts/fixtures/student-t.py, mpmath at 50 digits).
 */
import { regularizedIncompleteBeta } from './incomplete-beta';

function checkDf(caller: string, df: number): void {
  if (!(df > 0 && Number.isFinite(df)))
    throw new RangeError(`${caller}: df must be a positive finite number of degrees of freedom, got ${df}`);
}

/** P(T ≥ t) for t ≥ 0 (the caller has checked its arguments). */
function upperTail(t: number, df: number): number {
  const t2 = t * t;
  if (t2 < df) return 0.5 - 0.5 * regularizedIncompleteBeta(t2 / (df + t2), 0.5, df / 2);
  return 0.5 * regularizedIncompleteBeta(df / (df + t2), df / 2, 0.5);
}

/** P(T ≥ t), the survival function (scipy's `t.sf`), without the cancellation of 1 − CDF in the upper tail. */
export function studentTSurvival(t: number, df: number): number {
  checkDf('studentTSurvival', df);
  if (Number.isNaN(t)) throw new RangeError('studentTSurvival: t must be a number, got NaN');
  return t >= 0 ? upperTail(t, df) : 1 - upperTail(-t, df);
}

/** P(T ≤ t). */
export function studentTCdf(t: number, df: number): number {
  checkDf('studentTCdf', df);
  if (Number.isNaN(t)) throw new RangeError('studentTCdf: t must be a number, got NaN');
  return t <= 0 ? upperTail(-t, df) : 1 - upperTail(t, df);
}

/**
 * The t with P(T ≤ t) = p (scipy's `t.ppf`): e.g. studentTQuantile(0.975, 10) = 2.228138852 is
 * the half-width of a 95% interval in standard errors. ±Infinity at p = 0 and p = 1.
 */
export function studentTQuantile(p: number, df: number): number {
  checkDf('studentTQuantile', df);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`studentTQuantile: p must be a probability in [0, 1], got ${p}`);
  if (p === 0.5) return 0;
  if (p === 0 || p === 1) return p === 0 ? -Infinity : Infinity;
  // The tail probability to reach, taken without rounding: 1 − p is exact for p ≥ ½.
  const tail = p < 0.5 ? p : 1 - p;
  let [lo, hi] = [0, 1];
  while (upperTail(hi, df) > tail) {
    lo = hi;
    hi *= 2;
    if (!Number.isFinite(hi)) return p < 0.5 ? -Infinity : Infinity;
  }
  // The tail falls from upperTail(lo) > tail to upperTail(hi) ≤ tail; halve until lo and hi are neighbours.
  for (;;) {
    const mid = lo + (hi - lo) / 2;
    if (mid === lo || mid === hi) break;
    if (upperTail(mid, df) > tail) lo = mid;
    else hi = mid;
  }
  const t = upperTail(lo, df) - tail < tail - upperTail(hi, df) ? lo : hi;
  return p < 0.5 ? -t : t;
}
