/**
 * What `dropgrad compare` reports per technique, from its runs over seeds: test and train accuracy
 * (mean ± std), the generalization gap, time per epoch, and Welch's t-test of the test accuracies
 * against the technique's baseline. The same rows make the Markdown table and the --json output.
 */
import { type Summary, mean, summarize, welchPValue } from '../../statistics/welch';
import type { CompareRunResult } from './run-task';

/** p below this is marked in the table (and named in `significance`). */
export const significanceLevel = 0.05;

export interface CompareRow {
  technique: string;
  /** The flags that switch it on, as typed ("—" for none). */
  settings: string;
  /** Fractions in [0, 1], one value per seed. */
  testAcc: Summary;
  trainAcc: Summary;
  /** Welch's two-sided p for test accuracy against `baseline`; null for a baseline or when the baseline did not run. */
  pValue: number | null;
  /** Mean over seeds and epochs. */
  secondsPerEpoch: number;
  /** Extra: train − test accuracy per seed. */
  gap: Summary;
  /** Extra: the row this one is tested against (null for a baseline). */
  baseline: string | null;
  /** Extra: the direction of a difference with p < 0.05 (test accuracy above or below the baseline's), else null. */
  significance: 'better' | 'worse' | null;
}

export interface CompareConfig {
  dataset: string;
  preset: string;
  /** Training examples used (the first N of the training set). */
  limit: number;
  /** Test examples used (the first N of the test set). */
  testLimit: number;
  epochs: number;
  seeds: number;
  batchSize: number;
  lr: number;
  optimizer: 'adam';
  schedule: string;
  jobs: number;
}

export interface CompareReport {
  rows: CompareRow[];
  /** Extra: wallSeconds, the whole command's time. */
  config: CompareConfig & { wallSeconds: number };
}

export interface TechniqueRuns {
  technique: string;
  settings: string;
  baseline: string | null;
  runs: readonly CompareRunResult[];
}

export function compareRows(techniques: readonly TechniqueRuns[]): CompareRow[] {
  const testOf = (t: TechniqueRuns): number[] => t.runs.map((r) => r.testAccuracy);
  return techniques.map((t) => {
    const base = techniques.find((b) => b.technique === t.baseline);
    const testAcc = summarize(testOf(t));
    const pValue = base !== undefined ? welchPValue(testOf(t), testOf(base)) : null;
    const baseMean = base !== undefined ? mean(testOf(base)) : Number.NaN;
    return {
      technique: t.technique,
      settings: t.settings,
      testAcc,
      trainAcc: summarize(t.runs.map((r) => r.trainAccuracy)),
      pValue,
      secondsPerEpoch: mean(t.runs.flatMap((r) => r.secondsPerEpoch)),
      gap: summarize(t.runs.map((r) => r.trainAccuracy - r.testAccuracy)),
      baseline: t.baseline,
      significance: pValue !== null && pValue < significanceLevel ? (testAcc.mean > baseMean ? 'better' : 'worse') : null,
    };
  });
}
