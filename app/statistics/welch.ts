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
 *
 * The same standard error and ν give the confidence interval of the difference of means:
 *
 *   mean(a) − mean(b) ± t_{(1+level)/2, ν} · √(s_a²/n_a + s_b²/n_b)
 *
 * which contains 0 exactly when the two-sided p ≥ 1 − level.
 */
import { studentTQuantile, studentTSurvival } from './student-t';

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

/** The difference of means, the squared standard error of it and ν, after checking both samples. */
function welchParts(caller: string, a: readonly number[], b: readonly number[]): { difference: number; variance: number; df: number } {
  for (const [name, sample] of [
    ['a', a],
    ['b', b],
  ] as const) {
    if (sample.length < 2) throw new RangeError(`${caller}: ${name} needs at least 2 values (one per seed), got ${sample.length}`);
    if (!sample.every(Number.isFinite)) throw new RangeError(`${caller}: ${name} holds a non-finite value: [${sample.join(', ')}]`);
  }
  const [va, vb] = [sampleStd(a) ** 2 / a.length, sampleStd(b) ** 2 / b.length];
  const df = va + vb === 0 ? Number.NaN : (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  return { difference: mean(a) - mean(b), variance: va + vb, df };
}

/**
 * Welch's two-sample t-test of mean(a) = mean(b). Needs two or more values on each side. When
 * both samples have zero variance the test is undefined: p is 1 for equal means and 0 otherwise
 * (scipy gives NaN; a table of seeds' accuracies should still say "no difference").
 */
export function welchTTest(a: readonly number[], b: readonly number[]): WelchResult {
  const { difference, variance, df } = welchParts('welchTTest', a, b);
  if (variance === 0) return { t: difference === 0 ? 0 : Math.sign(difference) * Infinity, df, pValue: difference === 0 ? 1 : 0 };
  const t = difference / Math.sqrt(variance);
  return { t, df, pValue: 2 * studentTSurvival(Math.abs(t), df) };
}

/**
 * The confidence interval, at `level` (default 95%), of mean(a) − mean(b) by Welch's method (the
 * Welch–Satterthwaite ν, no equal-variance assumption). Two constant samples give the
 * difference itself at both ends, as their p of 0 or 1 says.
 */
export function welchConfidenceInterval(a: readonly number[], b: readonly number[], level = 0.95): [number, number] {
  if (!(level > 0 && level < 1)) throw new RangeError(`welchConfidenceInterval: level must be in (0, 1), got ${level}`);
  const { difference, variance, df } = welchParts('welchConfidenceInterval', a, b);
  if (variance === 0) return [difference, difference];
  const halfWidth = studentTQuantile((1 + level) / 2, df) * Math.sqrt(variance);
  return [difference - halfWidth, difference + halfWidth];
}
