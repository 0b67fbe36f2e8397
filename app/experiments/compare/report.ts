/**
 * What `dropgrad compare` reports per technique, from its runs over seeds: test and train accuracy
 * (mean ± std), the generalization gap, time per epoch, and Welch's t-test of the test accuracies
 * against the technique's baseline with the 95% interval of the difference. The same rows make the
 * Markdown table and the --json output.
 *
 * One run's comparisons are one family: each row's p is also reported Holm-adjusted over every row
 * that has a p, and only the adjusted p marks a difference, so that testing ten techniques at once
 * does not make a chance "better" likely.
 */
import { type Summary, mean, summarize, welchConfidenceInterval, welchTTest } from '../../statistics/welch';
import { holmAdjust } from '../../statistics/holm';
import type { CompareRunResult } from './run-task';

/** An adjusted p below this is marked in the table (and named in `significance`). */
export const significanceLevel = 0.05;

export interface CompareRow {
  technique: string;
  /** The flags that switch it on, as typed ("—" for none). */
  settings: string;
  /** Fractions in [0, 1], one value per seed. */
  testAcc: Summary;
  trainAcc: Summary;
  /** Welch's two-sided p for test accuracy against `baseline`, unadjusted; null for a baseline, for one seed, or when the baseline did not run. */
  pValue: number | null;
  /** pValue adjusted by Holm–Bonferroni over the report's family (every row with a pValue); null where pValue is. */
  pAdjusted: number | null;
  /** The 95% confidence interval (Welch) of mean test accuracy minus the baseline's, as fractions; null where pValue is. */
  ci95: [number, number] | null;
  /** Mean over seeds and epochs. */
  secondsPerEpoch: number;
  /** Extra: train − test accuracy per seed. */
  gap: Summary;
  /** Extra: the row this one is tested against (null for a baseline). */
  baseline: string | null;
  /** Extra: the direction of a difference with pAdjusted < 0.05 (test accuracy above or below the baseline's), else null. */
  significance: 'better' | 'worse' | null;
}

export interface CompareConfig {
  dataset: string;
  preset: string;
  /**
   * What scored the runs (`testAcc` holds its accuracies): the test set, or a validation split
   * carved from the training set. Absent in reports made before the flag existed: the test set.
   */
  split?: 'test' | 'validation';
  /** Training examples used: the first N of the training set, or of what the validation split left. */
  limit: number;
  /** Test examples used (the first N of the test set); 0 with the validation split. */
  testLimit: number;
  /** With the validation split: its images, and the seed that drew them (app/data/validation-split.ts). */
  validationSize?: number;
  validationSeed?: number;
  epochs: number;
  seeds: number;
  /** The runs' seeds are seedOffset … seedOffset + seeds − 1 (absent in earlier reports: 0). */
  seedOffset?: number;
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

/** The part of a row its baseline decides: Welch's p raw and Holm-adjusted, the interval, the mark. */
export type RowInference = Pick<CompareRow, 'pValue' | 'pAdjusted' | 'ci95' | 'significance'>;

type RowMeasures = Omit<CompareRow, keyof RowInference>;

/** Each row's inference against its baseline, with Holm's adjustment over all the rows that have a p (one family). */
export function tableInference(rows: readonly Pick<CompareRow, 'technique' | 'baseline' | 'testAcc'>[]): RowInference[] {
  const tests = rows.map((row) => {
    const base = rows.find((b) => b.technique === row.baseline);
    // One seed on either side: no variance to test against.
    if (base === undefined || row.testAcc.values.length < 2 || base.testAcc.values.length < 2) return null;
    const [treatment, control] = [row.testAcc.values, base.testAcc.values];
    return {
      pValue: welchTTest(treatment, control).pValue,
      ci95: welchConfidenceInterval(treatment, control),
      better: mean(treatment) > mean(control),
    };
  });
  const adjusted = holmAdjust(tests.flatMap((t) => (t === null ? [] : [t.pValue])));
  let k = 0;
  return tests.map((t) => {
    if (t === null) return { pValue: null, pAdjusted: null, ci95: null, significance: null };
    const pAdjusted = adjusted[k++];
    return {
      pValue: t.pValue,
      pAdjusted,
      ci95: t.ci95,
      significance: pAdjusted < significanceLevel ? (t.better ? 'better' : 'worse') : null,
    };
  });
}

/** The rows with their inference, each row's keys in the order --json prints them. */
function withInference(rows: readonly RowMeasures[]): CompareRow[] {
  const inference = tableInference(rows);
  return rows.map((r, i) => ({
    technique: r.technique,
    settings: r.settings,
    testAcc: r.testAcc,
    trainAcc: r.trainAcc,
    pValue: inference[i].pValue,
    pAdjusted: inference[i].pAdjusted,
    ci95: inference[i].ci95,
    secondsPerEpoch: r.secondsPerEpoch,
    gap: r.gap,
    baseline: r.baseline,
    significance: inference[i].significance,
  }));
}

export function compareRows(techniques: readonly TechniqueRuns[]): CompareRow[] {
  return withInference(
    techniques.map((t) => ({
      technique: t.technique,
      settings: t.settings,
      testAcc: summarize(t.runs.map((r) => r.testAccuracy)),
      trainAcc: summarize(t.runs.map((r) => r.trainAccuracy)),
      secondsPerEpoch: mean(t.runs.flatMap((r) => r.secondsPerEpoch)),
      gap: summarize(t.runs.map((r) => r.trainAccuracy - r.testAccuracy)),
      baseline: t.baseline,
    })),
  );
}

/** compare --json as stored by an earlier version: its rows may lack pAdjusted and ci95, and mark raw p. */
export interface StoredCompareReport {
  rows: (RowMeasures & Partial<RowInference>)[];
  config: CompareReport['config'];
}

/**
 * A stored report as this version writes it. JSON from before Holm's adjustment has no pAdjusted
 * and marks `significance` on the raw p: its inference is recomputed from the seeds' values, which
 * it keeps (the raw p comes out the same), so old results render with the corrected columns.
 */
export function currentCompareReport(stored: StoredCompareReport): CompareReport {
  if (stored.rows.every((r): r is CompareRow => r.pAdjusted !== undefined && r.ci95 !== undefined))
    return { rows: stored.rows, config: stored.config };
  return { rows: withInference(stored.rows), config: stored.config };
}
