/**
 * compare's table and its caption (printed by the command, written by `--out` and the results
 * pages), where each row has its difference from the baseline with the 95% interval and its raw
 * and Holm-adjusted p side by side; the page of one `dropgrad compare --json` run (the overfitting
 * preset on one data set): that table, its caption and accuracy figure (compare-markdown.ts) under
 * the run's provenance; and the rows' cells as the results index's headline table shows them.
 */
import { type RunRecord, formatP, percent as pct, provenance } from './report-page';
import type { Summary } from '../statistics/welch';
import { type CompareConfig, type CompareReport, type CompareRow, significanceLevel } from '../experiments/compare/report';

const meanAndStd = (s: Summary): string => `${pct(s.mean)} ± ${pct(s.std)}`;

/** What scored a report's runs, the word its pages use: 'test' or 'validation'. */
export const scoredSplit = (config: { split?: 'test' | 'validation' }): 'test' | 'validation' => config.split ?? 'test';

const tableP = (p: number): string => (p < 0.001 ? '< 0.001' : p.toFixed(3));

/** "+1.23" points of accuracy. */
export const signedPoints = (difference: number): string => `${difference >= 0 ? '+' : '−'}${pct(Math.abs(difference))}`;

/** The row a row is tested against, when it ran. */
export const baselineRow = (report: CompareReport, row: CompareRow): CompareRow | undefined =>
  report.rows.find((r) => r.technique === row.baseline);

/** "+0.75 [+0.03, +1.47]": the difference in test (or validation) accuracy from the baseline, in points, with its 95% interval when there is one. */
export function deltaWithInterval(row: CompareRow, baseline: CompareRow | undefined): string {
  if (baseline === undefined) return '—';
  const delta = signedPoints(row.testAcc.mean - baseline.testAcc.mean);
  return row.ci95 === null ? delta : `${delta} [${signedPoints(row.ci95[0])}, ${signedPoints(row.ci95[1])}]`;
}

/** The raw and the adjusted p cells, the adjusted one bold with the direction when it is below the level. */
function pCells(row: CompareRow, report: CompareReport): [string, string] {
  if (row.baseline === null) return ['baseline', '—'];
  if (row.pValue === null || row.pAdjusted === null)
    return [baselineRow(report, row) !== undefined ? '— (one seed)' : `— (${row.baseline} not run)`, '—'];
  const adjusted = tableP(row.pAdjusted);
  return [tableP(row.pValue), row.significance !== null ? `**${adjusted} ${row.significance}**` : adjusted];
}

export function formatCompareTable(report: CompareReport): string {
  const split = scoredSplit(report.config);
  const rows = report.rows.map((r) =>
    [
      r.technique,
      r.settings,
      meanAndStd(r.testAcc),
      meanAndStd(r.trainAcc),
      pct(r.gap.mean),
      r.secondsPerEpoch.toFixed(2),
      r.baseline === null ? '—' : deltaWithInterval(r, baselineRow(report, r)),
      ...pCells(r, report),
      r.baseline ?? '—',
    ].join(' | '),
  );
  return [
    `| technique | settings | ${split} acc. % | train acc. % | gap (points) | s / epoch | Δ ${split} vs baseline [95% CI] | p | p (Holm) | baseline |`,
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r} |`),
  ].join('\n');
}

/** " (200 … 207)": the seeds a report's runs used, when they do not start at 0. */
export function seedRange(config: CompareConfig): string {
  const offset = config.seedOffset ?? 0;
  return offset === 0 ? '' : ` (${offset} … ${offset + config.seeds - 1})`;
}

/** How many comparisons a report's Holm adjustment is over: its rows with a p. */
export const familySize = (report: CompareReport): number => report.rows.filter((r) => r.pValue !== null).length;

/** What the table's columns mean, printed under it. */
export function compareCaption(report: CompareReport): string {
  const { config } = report;
  const m = familySize(report);
  const split = scoredSplit(config);
  const limit = config.limit.toLocaleString('en-US');
  return [
    `Accuracies are mean ± sample std over ${config.seeds} seed${config.seeds === 1 ? '' : 's'}${seedRange(config)}.`,
    split === 'test'
      ? `Test accuracy: on the first ${config.testLimit.toLocaleString('en-US')} test images.`
      : `Validation accuracy: on ${(config.validationSize ?? 0).toLocaleString('en-US')} images carved from the training set by seed ${config.validationSeed}, none of them trained on; the test set was not read.`,
    `Train accuracy: the final model in eval mode on its clean training subset (the first ${limit} images${split === 'test' ? '' : ' the validation split left'}, without Cutout or Random Erasing).`,
    `Gap: train − ${split} accuracy, mean over seeds, in percentage points.`,
    `Δ: mean ${split} accuracy minus the baseline row's, in points, with its 95% confidence interval (Welch, Welch–Satterthwaite degrees of freedom).`,
    `p: Welch's two-sided t-test of the seeds' ${split} accuracies against the baseline row, unadjusted.`,
    `p (Holm): p adjusted by Holm–Bonferroni over the table's ${m} comparison${m === 1 ? '' : 's'}; bold, with the direction, when below ${significanceLevel}.`,
    `Time: seconds per training epoch, mean over seeds, with ${config.jobs} run${config.jobs === 1 ? '' : 's'} at a time.`,
  ].join(' ');
}

/** The adjusted p with compare's mark: ✓ better than the baseline with adjusted p < 0.05, ✗ worse. */
export function markedP(row: CompareRow): string {
  if (row.significance === null) return formatP(row.pAdjusted);
  return `**${formatP(row.pAdjusted)}** ${row.significance === 'better' ? '✓' : '✗'}`;
}

/** The generated part of compare-<dataset>.md. */
export function comparePage(report: CompareReport, dataset: string, run: RunRecord, chartName: string): string {
  const config = Object.entries(report.config)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
  return [
    `# Drop techniques compared in an overfitting regime: ${dataset}`,
    '',
    `Configuration: ${config}.`,
    '',
    provenance(run),
    '',
    formatCompareTable(report),
    '',
    compareCaption(report),
    '',
    `![${scoredSplit(report.config)} accuracy per technique](${chartName})`,
  ].join('\n');
}
