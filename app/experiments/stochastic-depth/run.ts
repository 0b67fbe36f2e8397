/**
 * Huang et al. (2016)'s claim, measured — a deep ResNet trained with stochastic depth (linear decay
 * p_l = 1 − (l/L)(1 − p_L), p_L = 0.5, 'batch' mode: a dropped block's residual branch is not
 * computed at all) trains faster per epoch at equal or better test accuracy. Each block runs its
 * branch with probability p_l, so the expected share of residual compute skipped is the mean of
 * 1 − p_l over blocks, (1 − p_L)(L + 1)/(2L): 27.8% for 9 blocks, → 25% for deep nets. The stem,
 * the projections and the classifier always run, so the saving per epoch is a little smaller than that.
 *
 * Both variants train the same seeds with the same data order, with a cosine learning rate to 0
 * (so that the weights, and with them BatchNorm's running statistics, settle before evaluation).
 * The runs alternate (ABBA: baseline, SD, SD, baseline, …) so that drift of the host's speed
 * affects both alike.
 */
import { examplesUsed } from '../../data/data-splits';
import { runTasks } from '../process-pool';
import type { RunOptions } from '../run-options';
import { summarize, welchPValue } from '../../statistics/welch';
import type { DepthConfig } from './config';
import type { DepthVariantResult, StochasticDepthReport } from './report';
import { type DepthRunResult, type DepthSeedResult, type DepthSeedTask, runDepthSeed } from './seed-run';

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

/** Trains the baseline and the stochastic-depth ResNet from every seed and compares their time per epoch and accuracy. */
export async function stochasticDepth(
  config: DepthConfig,
  options: RunOptions<DepthSeedTask, DepthSeedResult>,
): Promise<StochasticDepthReport> {
  const { request, data, jobs } = options;
  const tasks: DepthSeedTask[] = Array.from({ length: config.seeds }, (_, seed) => ({ config, data: request, seed }));
  const results = await runTasks(tasks, (task) => runDepthSeed(task, data), {
    worker: 'stochastic-depth',
    jobs,
    cli: options.cli,
    describe: (t) => `stochastic-depth seed ${t.seed}`,
    onResult: options.onResult,
    log: options.log,
  });
  const baseline = variantResult(
    'baseline',
    '—',
    results.map((r) => r.baseline),
  );
  const sd = variantResult(
    'stochastic depth',
    `p_L = ${config.pL}, linear decay, batch mode, ${config.convention} convention`,
    results.map((r) => r.stochasticDepth),
  );
  const L = 3 * config.blocks;
  const { train: trainExamples, test: testExamples } = examplesUsed(data);
  return {
    config: { ...config, data: data.name, trainExamples, testExamples, residualBlocks: L, jobs },
    baseline,
    stochasticDepth: sd,
    timeSaving: 1 - sd.secondsPerEpoch.mean / baseline.secondsPerEpoch.mean,
    expectedSkipped: ((1 - config.pL) * (L + 1)) / (2 * L),
    accuracyPValue: welchPValue(sd.testAcc.values, baseline.testAcc.values),
    timePValue: welchPValue(sd.secondsPerEpoch.values, baseline.secondsPerEpoch.values),
  };
}
