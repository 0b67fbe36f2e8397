/**
 * The page of one `dropgrad compare --json` run (the overfitting preset on one data set): compare's
 * own table, caption and accuracy figure (app/cli/compare-report.ts, compare-markdown.ts) under the
 * run's provenance, and the rows' cells as the results index's headline table shows them.
 */
import { type CompareReport, type CompareRow, compareCaption, formatCompareTable } from '../cli/compare-report';
import { type RunRecord, formatP, percent as pct, provenance } from '../cli/report-page';

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
