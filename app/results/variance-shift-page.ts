/** The variance-shift experiment's page: its table, its chart of the ratios and the prose under them. */
import { basename, dirname, join } from 'node:path';
import { type RunRecord, formatP, percent as pct, provenance, seedsText, writeReportPage } from './report-page';
import { scoredSplit, signedPoints } from './compare-page';
import { barChart } from '../render/svg-chart';
import { writeFileAtomic } from '../serialization/atomic-write';
import type { VarianceShiftReport } from '../experiments/variance-shift/report';

export function varianceShiftTable(report: VarianceShiftReport): string {
  const n = report.config.seeds.length;
  const split = scoredSplit(report.config);
  const rows = report.placements.map((r) => {
    const reference = report.placements.find((x) => x.name === r.comparedWith);
    const delta =
      reference === undefined
        ? '—'
        : `${signedPoints(r.testAcc.mean - reference.testAcc.mean)}${r.ci95 === null ? '' : ` [${signedPoints(r.ci95[0])}, ${signedPoints(r.ci95[1])}]`}`;
    return `| ${r.name} | ${r.noiseVariance.toFixed(3)} | ${r.measured.toFixed(3)} | ${r.predicted.toFixed(3)} | ${r.zeroMean.toFixed(3)} | ${pct(r.testAcc.mean)} ± ${pct(r.testAcc.std)} | ${r.comparedWith ?? '—'} | ${delta} | ${formatP(r.pValue)} | ${formatP(r.pAdjusted)} |`;
  });
  return [
    `| variant | noise variance c | Var_test / Var_train at the BN (measured${n > 1 ? `, mean of ${n} seeds` : ''}) | predicted: Var_test / (Var_test + c·Σw²E[h²]) | zero-mean formula 1/(1+c) | ${split} accuracy % (mean ± std, ${n} seed${n > 1 ? 's' : ''}) | compared with | Δ ${split} [95% CI] | p | p (Holm) |`,
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** "10000 test images", or the validation split's images and where they come from. */
const scoredImages = (config: VarianceShiftReport['config']): string =>
  scoredSplit(config) === 'test'
    ? `${config.testExamples} test images`
    : `${config.validationSize} validation images carved from the training set by seed ${config.validationSeed}; the test set was not read`;

const listing = (parts: readonly string[]): string =>
  parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;

/** What the table's columns and comparisons are, under it. */
export function varianceShiftCaption(report: VarianceShiftReport): string {
  const family = report.placements.filter((r) => r.pValue !== null).length;
  return (
    'Noise variance: of the multiplicative noise itself, p/(1−p) for dropout and β²/3 for Uout (equal variance, equal strength); ' +
    'the ratio columns use the c the BN sees, 0 when the noise comes after it. ' +
    'Each row is compared with the row that isolates one factor: dropout before BN with the model without noise (the cost of the shift), ' +
    'dropout after the last BN with the same dropout before BN (placement, at equal strength), Uout with the dropout before BN of equal noise variance (the kind of noise, at equal strength) when there is one, else with the model without noise. ' +
    `Δ: mean ${scoredSplit(report.config)} accuracy minus the compared row's, in points, with its 95% interval (Welch); p: Welch's two-sided t-test, unadjusted; p (Holm): adjusted over the table's ${family} comparison${family === 1 ? '' : 's'}.`
  );
}

const DEFAULT_PROSE = `## Reading it

The measured ratio matches the prediction from the formula (computed from the trained weights and
the statistics of the noise layer's input) to within sampling error, and it sits well above the
zero-mean value 1/(1 + c). Not because of a mean term in E[h²]: that term only enlarges the noise
part c·Σw²E[h²], i.e. the training variance, and would push the ratio *below* 1/(1 + c). The ratio
is closer to 1 because the units after the ReLU are correlated: Var_test(y) = Σᵢⱼ wᵢwⱼ Cov(hᵢ, hⱼ)
has the covariances between units, while the noise adds only a sum over single units. This is
the paper's width argument: the wider the layer (and the more correlated its units), the more
the covariance terms dominate and the smaller the shift. Placing dropout after the last BN
removes the shift at the BN entirely.

A shift is the noise's variance seen through a BN: Uout's 1/(1 + β²/3) is close to 1 for small β
because its noise is weak. Whether Uout is the better noise *before BN*, rather than the weaker one,
is only asked by the row whose β gives it the noise variance of a dropout row (β²/3 = p/(1−p)).
Uout's β ≤ 1 (beyond it 1 + u can change sign) caps its variance at 1/3, dropout p = 0.25's: dropout
at p = 0.5 (variance 1) has no Uout of equal strength.`;

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
    `An MLP with BatchNorm, hidden layers of ${config.width} and 128 units, on ${config.data} (${config.trainExamples} training, ${scoredImages(config)}, ${config.epochs} epoch${config.epochs > 1 ? 's' : ''} of Adam, ${seedsText(config.seeds)}), ` +
      `${listing([...(placements.some((r) => r.kind === 'none') ? ['without noise'] : []), `with dropout p = ${config.p.join(', ')}`, `with Uout β = ${config.beta.join(', ')}`])}; every variant of a seed starts from the same weights. The ratio is measured at the BN that follows the noise.`,
    '',
    provenance(run),
    '',
    varianceShiftTable(report),
    '',
    varianceShiftCaption(report),
    '',
    `![variance ratios](${basename(chart)})`,
  ].join('\n');
  writeReportPage(out, generated, DEFAULT_PROSE);
  return chart;
}
