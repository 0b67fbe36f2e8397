/**
 * Summaries over seeds and Welch's t-test: is a technique's mean test accuracy over seeds different
 * from the baseline's, without assuming the two have the same variance across seeds?
 *
 *   t  = (mean(a) − mean(b)) / √(s_a²/n_a + s_b²/n_b)
 *   ν  = (s_a²/n_a + s_b²/n_b)² / ( (s_a²/n_a)²/(n_a−1) + (s_b²/n_b)²/(n_b−1) )   (Welch–Satterthwaite)
 *   p  = P(|T_ν| ≥ |t|) = I_{ν/(ν+t²)}(ν/2, 1/2)                                     (two-sided)
 *
 * with I the regularized incomplete beta function. Matches scipy.stats.ttest_ind(a, b,
 * equal_var=False) (test/statistics.spec.ts, fixtures from scripts/fixtures/welch.py).
 */
import { regularizedIncompleteBeta } from './incomplete-beta';

export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('mean: no values');
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** The sample standard deviation (n − 1 in the denominator, as numpy's ddof=1); 0 for one value. */
export function sampleStd(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  return Math.sqrt(values.reduce((a, x) => a + (x - m) ** 2, 0) / (values.length - 1));
}

export interface Summary {
  mean: number;
  std: number;
  values: number[];
}

export function summarize(values: readonly number[]): Summary {
  return { mean: mean(values), std: sampleStd(values), values: [...values] };
}

export interface WelchResult {
  t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  /** Two-sided p-value: the probability of a |t| at least this large if both means were equal. */
  pValue: number;
}

/**
 * Welch's p for a table of seeds' results: null when either side has a single value (one seed: no
 * variance to test against), else welchTTest's two-sided p.
 */
export function welchPValue(a: readonly number[], b: readonly number[]): number | null {
  return a.length > 1 && b.length > 1 ? welchTTest(a, b).pValue : null;
}

/**
 * Welch's two-sample t-test of mean(a) = mean(b). Needs two or more values on each side. When
 * both samples have zero variance the test is undefined: p is 1 for equal means and 0 otherwise
 * (scipy gives NaN; a table of seeds' accuracies should still say "no difference").
 */
export function welchTTest(a: readonly number[], b: readonly number[]): WelchResult {
  for (const [name, sample] of [
    ['a', a],
    ['b', b],
  ] as const) {
    if (sample.length < 2) throw new RangeError(`welchTTest: ${name} needs at least 2 values (one per seed), got ${sample.length}`);
    if (!sample.every(Number.isFinite)) throw new RangeError(`welchTTest: ${name} holds a non-finite value: [${sample.join(', ')}]`);
  }
  const [va, vb] = [sampleStd(a) ** 2 / a.length, sampleStd(b) ** 2 / b.length];
  const difference = mean(a) - mean(b);
  if (va + vb === 0)
    return { t: difference === 0 ? 0 : Math.sign(difference) * Infinity, df: Number.NaN, pValue: difference === 0 ? 1 : 0 };
  const t = difference / Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  return { t, df, pValue: regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5) };
}
