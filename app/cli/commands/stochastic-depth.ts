/**
 * `dropgrad stochastic-depth`: Huang et al. (2016)'s claim, measured — a deep ResNet trained with
 * stochastic depth (linear decay p_l = 1 − (l/L)(1 − p_L), p_L = 0.5, 'batch' mode: a dropped
 * block's residual branch is not computed at all) trains faster per epoch at equal or better test
 * accuracy. Each block runs its branch with probability p_l, so the expected share of residual
 * compute skipped is the mean of 1 − p_l over blocks, (1 − p_L)(L + 1)/(2L): 27.8% for 9 blocks,
 * → 25% for deep nets. The stem, the projections and the classifier always run, so the saving per
 * epoch is a little smaller than that.
 *
 * Both variants train the same seeds with the same data order, with a cosine learning rate to 0
 * (so that the weights, and with them BatchNorm's running statistics, settle before evaluation).
 * The runs alternate (ABBA: baseline, SD, SD, baseline, …) so that drift of the host's speed
 * affects both alike.
 */
import { basename, dirname, join } from 'node:path';
import { type CommandSpec, type Flags, parseChoice, parseNumber, parseOutputPath } from '../args';
import { dataFlags, dataNotes, examplesUsed, loadData, parseDataFlags } from '../data-flags';
import type { CliIO } from '../io';
import { type RunRecord, commandLine, formatDuration, formatP, percent as pct, provenance, writeReportPage } from '../report-page';
import { type CliEntry, jobsFlag, parseJobs, runTasks } from '../process-pool';
import {
  type DepthConfig,
  type DepthRunResult,
  type DepthSeedResult,
  type DepthSeedTask,
  depthOptimizers,
  runDepthSeed,
} from '../stochastic-depth-run';
import { type Summary, summarize, welchPValue } from '../../statistics/welch';
import { barChart } from '../../render/svg-chart';
import { writeFileAtomic } from '../../serialization/atomic-write';

export const stochasticDepthSpec: CommandSpec = {
  name: 'stochastic-depth',
  summary: 'Train a deep ResNet with and without stochastic depth over seeds: time per epoch, the speed-up and test accuracy.',
  flags: {
    blocks: { type: 'string', value: 'N', description: 'basic blocks per stage (3 stages: 6N + 2 layers)', default: '3' },
    width: { type: 'string', value: 'W', description: 'planes of the first stage (then 2W, 4W)', default: '8' },
    pl: { type: 'string', value: 'PL', description: 'survival probability of the last block, p_L', default: '0.5' },
    convention: {
      type: 'string',
      value: 'NAME',
      description: 'inverted (divide a kept branch by p_l in training) or paper (scale the branch by p_l at test)',
      default: 'inverted',
    },
    seeds: { type: 'string', value: 'N', description: 'seeds per variant', default: '4' },
    epochs: { type: 'string', value: 'N', description: 'epochs per run (cosine learning rate to 0 over them)', default: '32' },
    'batch-size': { type: 'string', value: 'N', description: 'examples per step', default: '32' },
    optimizer: {
      type: 'string',
      value: 'NAME',
      description: "adam, or sgd: the paper's SGD (momentum 0.9, Nesterov, weight decay 1e-4)",
      default: 'adam',
    },
    lr: { type: 'string', value: 'RATE', description: 'initial learning rate (cosine to 0 over the run)', default: '0.005' },
    jobs: jobsFlag('seeds', 'accuracies'),
    json: { type: 'boolean', description: 'print the results as JSON on stdout (progress goes to stderr)' },
    out: { type: 'string', value: 'FILE.md', description: 'write the report and an SVG chart of the timings next to it' },
    ...dataFlags,
    limit: { type: 'string', value: 'N', description: 'training examples used', default: '500' },
    'test-limit': { type: 'string', value: 'N', description: 'test examples used', default: '10000' },
  },
  notes: dataNotes,
};

export interface DepthVariantResult {
  name: string;
  settings: string;
  testAcc: Summary;
  /** Running training accuracy over the last epoch (with the noise on). */
  trainAcc: Summary;
  /** Mean seconds per epoch of each run, in seed order. */
  secondsPerEpoch: Summary;
  /** Share of residual branches skipped over all training steps. */
  skippedBranches: number;
}

export interface StochasticDepthReport {
  config: DepthConfig & { data: string; trainExamples: number; testExamples: number; residualBlocks: number; jobs: number };
  baseline: DepthVariantResult;
  stochasticDepth: DepthVariantResult;
  /** 1 − (SD's seconds per epoch)/(baseline's): the share of training time saved. */
  timeSaving: number;
  /** (1 − p_L)(L + 1)/(2L): the share of residual branches stochastic depth is expected to skip. */
  expectedSkipped: number;
  /** Welch's p of SD's test accuracy against the baseline's (null with one seed). */
  accuracyPValue: number | null;
  /** Welch's p of the per-run seconds per epoch. */
  timePValue: number | null;
}

function variantResult(name: string, settings: string, runs: readonly DepthRunResult[]): DepthVariantResult {
  const skipped = runs.reduce((a, r) => a + r.skipped, 0);
  const branches = runs.reduce((a, r) => a + r.branches, 0);
  return {
    name,
    settings,
    testAcc: summarize(runs.map((r) => r.testAcc)),
    trainAcc: summarize(runs.map((r) => r.trainAcc)),
    secondsPerEpoch: summarize(runs.map((r) => r.secondsPerEpoch)),
    skippedBranches: branches > 0 ? skipped / branches : 0,
  };
}

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

const optimizerText = (config: DepthConfig): string =>
  config.optimizer === 'adam'
    ? `Adam (lr ${config.lr}, cosine to 0)`
    : `SGD (momentum 0.9, Nesterov, weight decay 1e-4, lr ${config.lr}, cosine to 0)`;

const DEFAULT_PROSE = `## Reading it

Stochastic depth skips a residual block's branch with probability 1 − p_l in each training step;
with p_L = 0.5 and linear decay a 3 × N-block ResNet skips (1 − p_L)(L + 1)/(2L) of its residual
branches, 27.8% for L = 9 and 25% in the limit. The time per epoch falls by a little less: the
stem, the projection shortcuts, the pooling and the classifier always run. At test time every
block runs, so evaluation costs the same. The accuracy claim ("equal or better") is about deep
networks trained to convergence; at this scale a few epochs may not be enough for the noisier
network to catch up, and the table says whether it did.`;

/** report.md's chart: report-seconds.svg in its directory. */
const chartPath = (out: string): string => join(dirname(out), `${basename(out, '.md')}-seconds.svg`);

/**
 * Writes the page (keeping its prose) and its chart from the report, for `--out` and for
 * `npm run results`, which rebuilds it from the stored JSON. Returns the chart's path.
 */
export function writeStochasticDepthPage(out: string, report: StochasticDepthReport, run: RunRecord): string {
  const { config, baseline, stochasticDepth } = report;
  const chart = chartPath(out);
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
      `(batch ${config.batchSize}), ${config.jobs === 1 ? 'one process' : `${config.jobs} processes, a seed's two runs in one`}.`,
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

/**
 * @param cli how `--jobs N` starts the CLI again (default: this process's own command line; a
 * test running the command in-process names app/cli/main.ts instead).
 */
export async function runStochasticDepth(flags: Flags, io: CliIO, cli?: CliEntry): Promise<number> {
  const start = performance.now();
  const blocks = parseNumber('blocks', String(flags.blocks), { integer: true, min: 1 });
  const width = parseNumber('width', String(flags.width), { integer: true, min: 1 });
  const config: DepthConfig = {
    blocks,
    widths: [width, 2 * width, 4 * width],
    pL: parseNumber('pl', String(flags.pl), { min: 0, max: 1 }),
    convention: parseChoice('convention', String(flags.convention), ['inverted', 'paper'] as const),
    seeds: parseNumber('seeds', String(flags.seeds), { integer: true, min: 1 }),
    epochs: parseNumber('epochs', String(flags.epochs), { integer: true, min: 1 }),
    batchSize: parseNumber('batch-size', String(flags['batch-size']), { integer: true, min: 1 }),
    optimizer: parseChoice('optimizer', String(flags.optimizer), depthOptimizers),
    lr: parseNumber('lr', String(flags.lr), { min: 0 }),
  };
  const jobs = parseJobs(flags.jobs);
  const dataRequest = parseDataFlags(flags);
  const out = flags.out !== undefined ? parseOutputPath('out', String(flags.out)) : undefined;
  if (out !== undefined) parseOutputPath('out (its chart)', chartPath(out));
  // With --json stdout carries the JSON only.
  const log = flags.json ? io.err : io.out;
  const data = loadData(dataRequest);
  const L = 3 * blocks;
  const { train: trainExamples, test: testExamples } = examplesUsed(data);
  log.write(
    `ResNet-${6 * blocks + 2} (3 × ${blocks} basic blocks, widths ${config.widths.join('/')}) on ${data.name}: ` +
      `${trainExamples} training / ${testExamples} test examples, ${config.epochs} epochs of ${optimizerText(config)}, ` +
      `${config.seeds} seeds per variant, ${jobs} job${jobs === 1 ? '' : 's'}\n`,
  );

  const tasks: DepthSeedTask[] = Array.from({ length: config.seeds }, (_, seed) => ({ config, data: dataRequest, seed }));
  const logSeed = (result: DepthSeedResult, task: DepthSeedTask): void => {
    const line = (name: string, r: DepthRunResult): string =>
      `  ${name} seed ${task.seed}: ${r.secondsPerEpoch.toFixed(2)} s/epoch, test accuracy ${pct(r.testAcc)}%, ` +
      `train ${pct(r.trainAcc)}%, branches skipped ${pct(r.skipped / r.branches, 1)}%\n`;
    log.write(line('baseline        ', result.baseline) + line('stochastic depth', result.stochasticDepth));
  };
  const results = await runTasks(tasks, (task) => runDepthSeed(task, data), {
    worker: 'stochastic-depth',
    jobs,
    cli,
    describe: (t) => `stochastic-depth seed ${t.seed}`,
    onResult: logSeed,
    log: (text) => io.err.write(text),
  });
  const runs = { base: results.map((r) => r.baseline), sd: results.map((r) => r.stochasticDepth) };
  const baseline = variantResult('baseline', '—', runs.base);
  const stochasticDepth = variantResult(
    'stochastic depth',
    `p_L = ${config.pL}, linear decay, batch mode, ${config.convention} convention`,
    runs.sd,
  );
  const report: StochasticDepthReport = {
    config: { ...config, data: data.name, trainExamples, testExamples, residualBlocks: L, jobs },
    baseline,
    stochasticDepth,
    timeSaving: 1 - stochasticDepth.secondsPerEpoch.mean / baseline.secondsPerEpoch.mean,
    expectedSkipped: ((1 - config.pL) * (L + 1)) / (2 * L),
    accuracyPValue: welchPValue(stochasticDepth.testAcc.values, baseline.testAcc.values),
    timePValue: welchPValue(stochasticDepth.secondsPerEpoch.values, baseline.secondsPerEpoch.values),
  };
  const table = stochasticDepthTable(report);
  log.write(`\n${table}\n\n${stochasticDepthSummary(report)}\n`);
  if (flags.json) io.out.write(`${JSON.stringify(report, null, 2)}\n`);
  if (out !== undefined) {
    const seeds = Array.from({ length: config.seeds }, (_, i) => i);
    const chart = writeStochasticDepthPage(out, report, {
      command: commandLine('stochastic-depth'),
      seeds,
      seconds: (performance.now() - start) / 1000,
    });
    log.write(`wrote ${out} and ${basename(chart)} (${formatDuration((performance.now() - start) / 1000)})\n`);
  }
  return 0;
}
