/** The variance-shift experiment's page: its table, its chart of the ratios and the prose under them. */
import { basename, dirname, join } from 'node:path';
import { type RunRecord, formatP, percent as pct, provenance, writeReportPage } from './report-page';
import { barChart } from '../render/svg-chart';
import { writeFileAtomic } from '../serialization/atomic-write';
import type { VarianceShiftReport } from '../experiments/variance-shift/report';

export function varianceShiftTable(report: VarianceShiftReport): string {
  const n = report.config.seeds.length;
  const pColumn = [
    `${formatP(report.pBeforeVsAfter)} (vs after the last BN)`,
    '—',
    `${formatP(report.pUoutVsBefore)} (vs dropout before BN)`,
  ];
  const rows = report.placements.map(
    (r, i) =>
      `| ${r.name} | ${r.measured.toFixed(3)} | ${r.predicted.toFixed(3)} | ${r.zeroMean.toFixed(3)} | ${pct(r.testAcc.mean)} ± ${pct(r.testAcc.std)} | ${pColumn[i]} |`,
  );
  return [
    `| variant | Var_test / Var_train at the BN (measured${n > 1 ? `, mean of ${n} seeds` : ''}) | predicted: Var_test / (Var_test + c·Σw²E[h²]) | zero-mean formula 1/(1+c) | test accuracy % (mean ± std, ${n} seeds) | Welch p |`,
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

const DEFAULT_PROSE = `## Reading it

The measured ratio matches the prediction from the formula (computed from the trained weights and
the statistics of the noise layer's input) to within sampling error, and it sits well above the
zero-mean value 1 − p. Not because of a mean term in E[h²]: that term only enlarges the noise part
c·Σw²E[h²], i.e. the training variance, and would push the ratio *below* 1 − p. The ratio is
closer to 1 because the units after the ReLU are correlated: Var_test(y) = Σᵢⱼ wᵢwⱼ Cov(hᵢ, hⱼ)
has the covariances between units, while the noise adds only a sum over single units. This is
the paper's width argument: the wider the layer (and the more correlated its units), the more
the covariance terms dominate and the smaller the shift. Placing dropout after the last BN
removes the shift entirely; Uout with β = 0.5 reduces it to a few percent.`;

/** report.md's chart: report-ratios.svg in its directory. */
export const varianceShiftChartPath = (out: string): string => join(dirname(out), `${basename(out, '.md')}-ratios.svg`);

/**
 * Writes the page (keeping its prose) and its chart from the report, for `--out` and for
 * `npm run results`, which rebuilds it from the stored JSON. Returns the chart's path.
 */
export function writeVarianceShiftPage(out: string, report: VarianceShiftReport, run: RunRecord): string {
  const { config, placements } = report;
  const chart = varianceShiftChartPath(out);
  writeFileAtomic(
    chart,
    barChart(
      'Variance shift at the BatchNorm after the noise',
      'Var_test / Var_train',
      placements.map((r) => r.name),
      [
        { label: 'measured', values: placements.map((r) => r.measured) },
        { label: 'predicted', values: placements.map((r) => r.predicted) },
        { label: 'zero-mean formula', values: placements.map((r) => r.zeroMean) },
      ],
    ),
  );
  const generated = [
    '# The Dropout / BatchNorm variance shift',
    '',
    `An MLP with BatchNorm, hidden layers of ${config.width} and 128 units, on ${config.data} (${config.trainExamples} training, ${config.testExamples} test images, ${config.epochs} epoch${config.epochs > 1 ? 's' : ''} of Adam), ` +
      `dropout p = ${config.p}, Uout β = ${config.beta}. The ratio is measured at the BN that follows the noise.`,
    '',
    provenance(run),
    '',
    varianceShiftTable(report),
    '',
    `![variance ratios](${basename(chart)})`,
  ].join('\n');
  writeReportPage(out, generated, DEFAULT_PROSE);
  return chart;
}
