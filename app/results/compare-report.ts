/**
 * The page of one `dropgrad compare --json` run (the overfitting preset on one data set), and its
 * rows as the results index's headline table shows them. The JSON is compare's contract:
 * { rows: [{ technique, settings, testAcc, trainAcc, pValue, secondsPerEpoch }], config },
 * accuracies as fractions, pValue null for the baseline.
 */
import type { Summary } from '../statistics/welch';
import { type RunRecord, formatP, percent as pct, provenance } from '../cli/report-page';
import { barChart } from '../render/svg-chart';
import { ALPHA } from './verdict';

export const BASELINE = 'none';

export interface CompareRow {
  technique: string;
  settings: string;
  testAcc: Summary;
  trainAcc: Summary;
  /** Welch's p against the baseline; null for the baseline itself. */
  pValue: number | null;
  secondsPerEpoch: number | Summary;
}

export interface CompareJson {
  rows: CompareRow[];
  config: Record<string, unknown>;
}

export const seconds = (s: number | Summary): number => (typeof s === 'number' ? s : s.mean);

/** "+1.23" points of accuracy. */
export const signedPoints = (difference: number): string => `${difference >= 0 ? '+' : '−'}${pct(Math.abs(difference))}`;

/** p with its mark: ✓ better than the baseline with p < α, ✗ worse with p < α. */
export function markedP(row: CompareRow, baseline: CompareRow): string {
  if (row.pValue === null) return '—';
  if (row.pValue >= ALPHA) return formatP(row.pValue);
  return `**${formatP(row.pValue)}** ${row.testAcc.mean > baseline.testAcc.mean ? '✓' : '✗'}`;
}

export function baselineOf(json: CompareJson): CompareRow {
  const baseline = json.rows.find((r) => r.technique === BASELINE);
  if (baseline === undefined)
    throw new Error(`compare's JSON has no "${BASELINE}" row (the baseline): got ${json.rows.map((r) => r.technique).join(', ')}`);
  return baseline;
}

export function compareTable(json: CompareJson): string {
  const baseline = baselineOf(json);
  const seeds = baseline.testAcc.values.length;
  const rows = json.rows.map((r) => {
    const gap = r.trainAcc.mean - r.testAcc.mean;
    const delta = r === baseline ? '—' : signedPoints(r.testAcc.mean - baseline.testAcc.mean);
    return `| ${r.technique} | ${r.settings} | ${pct(r.testAcc.mean)} ± ${pct(r.testAcc.std)} | ${pct(r.trainAcc.mean)} | ${pct(gap)} | ${delta} | ${markedP(r, baseline)} | ${seconds(r.secondsPerEpoch).toFixed(1)} |`;
  });
  return [
    `| technique | settings | test accuracy % (mean ± std, ${seeds} seeds) | train accuracy % | gap (train − test) | Δ test vs ${BASELINE} | p (Welch, vs ${BASELINE}) | s / epoch |`,
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

export function compareChart(json: CompareJson, dataset: string): string {
  return barChart(
    `Test and train accuracy, ${dataset} (mean over seeds)`,
    'accuracy %',
    json.rows.map((r) => r.technique),
    [
      { label: 'test', values: json.rows.map((r) => 100 * r.testAcc.mean) },
      { label: 'train', values: json.rows.map((r) => 100 * r.trainAcc.mean) },
    ],
  );
}

/** The generated part of compare-<dataset>.md. */
export function comparePage(json: CompareJson, dataset: string, run: RunRecord, chartName: string): string {
  const config = Object.entries(json.config)
    .map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
  return [
    `# Drop techniques compared in an overfitting regime: ${dataset}`,
    '',
    `Configuration: ${config}.`,
    '',
    provenance(run),
    '',
    compareTable(json),
    '',
    `✓: better than \`${BASELINE}\` with p < ${ALPHA}; ✗: worse with p < ${ALPHA} (Welch's t-test over seeds). The gap is the mean train accuracy minus the mean test accuracy.`,
    '',
    `![test and train accuracy](${chartName})`,
  ].join('\n');
}
