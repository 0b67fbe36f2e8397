/**
 * compare's table and its caption (printed by the command, written by `--out` and the results
 * pages), and the page of one `dropgrad compare --json` run (the overfitting preset on one data
 * set): that table, its caption and accuracy figure (compare-markdown.ts) under the run's
 * provenance, and the rows' cells as the results index's headline table shows them.
 */
import { type RunRecord, formatP, percent as pct, provenance } from '../cli/report-page';
import type { Summary } from '../statistics/welch';
import { type CompareConfig, type CompareReport, type CompareRow, significanceLevel } from '../experiments/compare/report';

const meanAndStd = (s: Summary): string => `${pct(s.mean)} ± ${pct(s.std)}`;

function formatPColumn(row: CompareRow, rows: readonly CompareRow[]): string {
  if (row.baseline === null) return 'baseline';
  if (row.pValue === null) return rows.some((r) => r.technique === row.baseline) ? '— (one seed)' : `— (${row.baseline} not run)`;
  const p = row.pValue < 0.001 ? '< 0.001' : row.pValue.toFixed(3);
  return row.significance !== null ? `**${p} ${row.significance}**` : p;
}

export function formatCompareTable(report: CompareReport): string {
  const rows = report.rows.map((r) =>
    [
      r.technique,
      r.settings,
      meanAndStd(r.testAcc),
      meanAndStd(r.trainAcc),
      pct(r.gap.mean),
      r.secondsPerEpoch.toFixed(2),
      formatPColumn(r, report.rows),
      r.baseline ?? '—',
    ].join(' | '),
  );
  return [
    `| technique | settings | test acc. % | train acc. % | gap (points) | s / epoch | p vs baseline | baseline |`,
    '|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r} |`),
  ].join('\n');
}

/** What the table's columns mean, printed under it. */
export function compareCaption(config: CompareConfig): string {
  return [
    `Accuracies are mean ± sample std over ${config.seeds} seed${config.seeds === 1 ? '' : 's'}.`,
    `Test accuracy: on the first ${config.testLimit.toLocaleString('en-US')} test images.`,
    `Train accuracy: the final model in eval mode on its clean training subset (the first ${config.limit.toLocaleString('en-US')} images, without Cutout or Random Erasing).`,
    'Gap: train − test accuracy, mean over seeds, in percentage points.',
    `p: Welch's two-sided t-test of the seeds' test accuracies against the baseline row; bold, with the direction, when p < ${significanceLevel}.`,
    `Time: seconds per training epoch, mean over seeds, with ${config.jobs} run${config.jobs === 1 ? '' : 's'} at a time.`,
  ].join(' ');
}

/** "+1.23" points of accuracy. */
export const signedPoints = (difference: number): string => `${difference >= 0 ? '+' : '−'}${pct(Math.abs(difference))}`;

/** p with compare's mark: ✓ better than the baseline with p < 0.05, ✗ worse. */
export function markedP(row: CompareRow): string {
  if (row.significance === null) return formatP(row.pValue);
  return `**${formatP(row.pValue)}** ${row.significance === 'better' ? '✓' : '✗'}`;
}

/** The row a row is tested against, when it ran. */
export const baselineRow = (report: CompareReport, row: CompareRow): CompareRow | undefined =>
  report.rows.find((r) => r.technique === row.baseline);

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
    compareCaption(report.config),
    '',
    `![test accuracy per technique](${chartName})`,
  ].join('\n');
}
