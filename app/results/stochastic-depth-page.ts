/** The stochastic-depth experiment's page: its table, its result line, its chart of the timings and the prose under them. */
import { basename, dirname, join } from 'node:path';
import { type RunRecord, formatP, percent as pct, provenance, seedsText, writeReportPage } from './report-page';
import { barChart } from '../render/svg-chart';
import { writeFileAtomic } from '../serialization/atomic-write';
import { type DepthConfig, depthSeeds } from '../experiments/stochastic-depth/config';
import type { DepthVariantResult, StochasticDepthReport } from '../experiments/stochastic-depth/report';

export function stochasticDepthTable(report: StochasticDepthReport): string {
  const { baseline, stochasticDepth: sd } = report;
  const row = (v: DepthVariantResult, p: string): string =>
    `| ${v.name} | ${v.settings} | ${v.secondsPerEpoch.mean.toFixed(2)} ± ${v.secondsPerEpoch.std.toFixed(2)} | ${pct(v.skippedBranches, 1)}% | ${pct(v.testAcc.mean)} ± ${pct(v.testAcc.std)} | ${pct(v.trainAcc.mean)} | ${p} |`;
  return [
    `| variant | settings | s / epoch (mean ± std, ${report.config.seeds} runs) | residual branches skipped | test accuracy % | train accuracy % (last epoch) | p (test accuracy vs baseline) |`,
    '|---|---|---|---|---|---|---|',
    row(baseline, '—'),
    row(sd, formatP(report.accuracyPValue)),
  ].join('\n');
}

export function stochasticDepthSummary(report: StochasticDepthReport): string {
  return (
    `training time per epoch: ${pct(report.timeSaving, 1)}% lower with stochastic depth (p = ${formatP(report.timePValue)}); ` +
    `residual branches skipped: ${pct(report.stochasticDepth.skippedBranches, 1)}% (expected ${pct(report.expectedSkipped, 1)}%); ` +
    `test accuracy ${pct(report.stochasticDepth.testAcc.mean)}% vs ${pct(report.baseline.testAcc.mean)}% (p = ${formatP(report.accuracyPValue)})`
  );
}

/** Huang et al.'s CIFAR-10 setting, which the page's run scales down. */
const paper = { layers: 110, widths: [16, 32, 64], trainExamples: 50000, epochs: 500 };

/** What the run reduced from the paper's setting, to fit its budget: said on the page, since the claim is about deep networks. */
export function scaledDown(report: StochasticDepthReport): string {
  const { config } = report;
  const layers = 6 * config.blocks + 2;
  const fewer = (ours: number, theirs: number, what: string): string[] => (ours < theirs ? [`${what} ${ours} (paper ${theirs})`] : []);
  const reductions = [
    ...fewer(layers, paper.layers, 'layers'),
    ...(config.widths[0] < paper.widths[0] ? [`widths ${config.widths.join('/')} (paper ${paper.widths.join('/')})`] : []),
    ...fewer(config.trainExamples, paper.trainExamples, 'training images'),
    ...fewer(config.epochs, paper.epochs, 'epochs'),
  ];
  return `Scaled down from Huang et al.'s ResNet-${paper.layers} on CIFAR-10 to fit the budget: ${reductions.length > 0 ? reductions.join(', ') : 'nothing reduced'}; test images ${config.testExamples}. The paper's argument (a thinned deep network still fits, and trains faster) is about deep networks, 56 layers or more: ${layers >= 56 ? `ResNet-${layers} is one` : `ResNet-${layers} is shallower`}.`;
}

export const optimizerText = (config: DepthConfig): string =>
  config.optimizer === 'adam'
    ? `Adam (lr ${config.lr}, cosine to 0)`
    : `SGD (momentum 0.9, Nesterov, weight decay 1e-4, lr ${config.lr}, cosine to 0)`;

const DEFAULT_PROSE = `## Reading it

Stochastic depth skips a residual block's branch with probability 1 − p_l in each training step;
with p_L = 0.5 and linear decay a 3 × N-block ResNet skips (1 − p_L)(L + 1)/(2L) of its residual
branches, 27.8% for L = 9 (ResNet-20), 25.9% for L = 27 (ResNet-56) and 25% in the limit. The time per epoch falls by a little less: the
stem, the projection shortcuts, the pooling and the classifier always run. At test time every
block runs, so evaluation costs the same. The accuracy claim ("equal or better") is about deep
networks trained to convergence; at this scale a few epochs may not be enough for the noisier
network to catch up, and the table says whether it did.`;

/** report.md's chart: report-seconds.svg in its directory. */
export const stochasticDepthChartPath = (out: string): string => join(dirname(out), `${basename(out, '.md')}-seconds.svg`);

/**
 * Writes the page (keeping its prose) and its chart from the report, for `--out` and for
 * `npm run results`, which rebuilds it from the stored JSON. Returns the chart's path.
 */
export function writeStochasticDepthPage(out: string, report: StochasticDepthReport, run: RunRecord): string {
  const { config, baseline, stochasticDepth } = report;
  const chart = stochasticDepthChartPath(out);
  writeFileAtomic(
    chart,
    barChart(
      'Seconds per training epoch, run by run',
      'seconds / epoch',
      run.seeds.map((s) => `seed ${s}`),
      [
        { label: 'baseline', values: baseline.secondsPerEpoch.values },
        { label: 'stochastic depth', values: stochasticDepth.secondsPerEpoch.values },
      ],
    ),
  );
  const generated = [
    '# Stochastic depth: training time and accuracy of a deep ResNet',
    '',
    `ResNet-${6 * config.blocks + 2} (3 stages × ${config.blocks} basic blocks, widths ${config.widths.join('/')}) on ${config.data}, ` +
      `${config.trainExamples} training and ${config.testExamples} test images, ${config.epochs} epochs of ${optimizerText(config)} ` +
      `(batch ${config.batchSize}), ${seedsText(depthSeeds(config))}, ${config.jobs === 1 ? 'one process' : `${config.jobs} processes, a seed's two runs in one`}.`,
    '',
    scaledDown(report),
    '',
    provenance(run),
    '',
    stochasticDepthTable(report),
    '',
    `Result: ${stochasticDepthSummary(report)}.`,
    '',
    `![seconds per epoch](${basename(chart)})`,
  ].join('\n');
  writeReportPage(out, generated, DEFAULT_PROSE);
  return chart;
}
