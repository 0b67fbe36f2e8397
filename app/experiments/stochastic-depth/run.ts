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
 * affects both alike. A seed (both variants) is the unit that --jobs and --shard spread, so that
 * each seed's pair is timed in one process on one machine.
 */
import { type DataRequest, type DataSplits, examplesUsed } from '../../data/data-splits';
import { runTasks } from '../process-pool';
import type { RunOptions } from '../run-options';
import { summarize, welchPValue } from '../../statistics/welch';
import { type DepthConfig, depthSeeds } from './config';
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

/** The config a report states: the experiment's, with the data it read and how many processes ran it. */
export type DepthStudyConfig = StochasticDepthReport['config'];

/** The task of every seed of a study, in the canonical order (seed K, K + 1, …), which shards slice (../shard.ts). */
export const depthTasks = (config: DepthConfig, request: DataRequest): DepthSeedTask[] =>
  depthSeeds(config).map((seed) => ({ config, data: request, seed }));

/** Runs `tasks` (all of a study's or one shard's), here or in child processes; the results in task order. */
export function runDepthTasks(
  tasks: readonly DepthSeedTask[],
  options: RunOptions<DepthSeedTask, DepthSeedResult>,
): Promise<DepthSeedResult[]> {
  return runTasks(tasks, (task) => runDepthSeed(task, options.data), {
    worker: 'stochastic-depth',
    jobs: options.jobs,
    cli: options.cli,
    describe: (t) => `stochastic-depth seed ${t.seed}`,
    onResult: options.onResult,
    log: options.log,
  });
}

/** The study's config as its report states it. */
export function depthStudyConfig(config: DepthConfig, data: DataSplits, jobs: number): DepthStudyConfig {
  const { train: trainExamples, test: testExamples } = examplesUsed(data);
  return { ...config, data: data.name, trainExamples, testExamples, residualBlocks: 3 * config.blocks, jobs };
}

/**
 * The report of a whole study from the results of its seeds in order: what one process computes
 * after its runs, and what `dropgrad merge` computes from the shards' seeds.
 */
export function depthOutcome(config: DepthStudyConfig, results: readonly DepthSeedResult[]): StochasticDepthReport {
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
  const L = config.residualBlocks;
  return {
    config,
    baseline,
    stochasticDepth: sd,
    timeSaving: 1 - sd.secondsPerEpoch.mean / baseline.secondsPerEpoch.mean,
    expectedSkipped: ((1 - config.pL) * (L + 1)) / (2 * L),
    accuracyPValue: welchPValue(sd.testAcc.values, baseline.testAcc.values),
    timePValue: welchPValue(sd.secondsPerEpoch.values, baseline.secondsPerEpoch.values),
  };
}
