/**
 * `dropgrad merge` for stochastic depth: the shards of one study (shard-report.ts), checked to be
 * one study and put back in seed order (app/experiments/shard-merge.ts), handed to depthOutcome,
 * the function the single run's report comes from.
 */
import { type ShardFile, mergeShardRuns } from '../shard-merge';
import type { StochasticDepthReport } from './report';
import { depthOutcome } from './run';
import { depthSeeds } from './config';
import type { DepthShardReport, DepthShardRun } from './shard-report';

export interface MergedDepth {
  report: StochasticDepthReport;
  /** The shards' times added, as if they had run one after the other. */
  wallSeconds: number;
}

const formatRun = (run: Pick<DepthShardRun, 'seed'>): string => `seed ${run.seed}`;

/** The report of the whole study the shards are slices of (in any order), exactly as one process would make it. */
export function mergeDepthShards(shards: readonly ShardFile<DepthShardReport>[]): MergedDepth {
  const { runs, wallSeconds } = mergeShardRuns(shards, (config) => ({
    total: config.seeds,
    totalText: `of ${config.seeds} seeds`,
    order: () => depthSeeds(config).map((seed) => formatRun({ seed })),
    name: formatRun,
  }));
  const report = depthOutcome(
    shards[0].report.config,
    runs.map((run) => run.result),
  );
  return { report, wallSeconds };
}
