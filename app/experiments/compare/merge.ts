/**
 * `dropgrad merge` for compare: the shards of one compare study (shard-report.ts), checked to be
 * one study and put back in the canonical order (app/experiments/shard-merge.ts), handed to
 * compareOutcome, the function the single run's report comes from.
 */
import { type ShardFile, mergeShardRuns } from '../shard-merge';
import type { CompareReport } from './report';
import { type CompareOutcome, type CompareRunId, compareOutcome, compareRunOrder } from './run';
import type { CompareShardReport } from './shard-report';

export interface MergedCompare {
  report: CompareReport;
  lossCurves: CompareOutcome['lossCurves'];
}

const formatRun = (run: CompareRunId): string => `${run.technique} seed ${run.seed}`;

/** The report of the whole study the shards are slices of (in any order), exactly as one process would make it. */
export function mergeCompareShards(shards: readonly ShardFile<CompareShardReport>[]): MergedCompare {
  const { runs, wallSeconds } = mergeShardRuns(shards, ({ techniques, seeds, seedOffset }) => ({
    total: techniques.length * seeds,
    totalText: `of ${techniques.length} techniques × ${seeds} seeds`,
    // A report made before --seed-offset existed ran seeds 0 … N−1.
    order: () =>
      compareRunOrder(
        techniques.map((t) => t.technique),
        seeds,
        seedOffset ?? 0,
      ).map(formatRun),
    name: formatRun,
  }));
  const { techniques, ...config } = shards[0].report.config;
  const flagsOf = new Map(techniques.map((t) => [t.technique, t.flags]));
  const { rows, lossCurves } = compareOutcome(
    flagsOf,
    config.seeds,
    runs.map((run) => run.result),
  );
  return { report: { rows, config: { ...config, wallSeconds } }, lossCurves };
}
