/**
 * `dropgrad merge`: the shards of one compare study (shard-report.ts) put back together into the
 * report one process would have made. It checks that they are one study — the same config in full,
 * the same number of shards, each slice once, each holding exactly the runs its slice has — then
 * puts the results back in the canonical order and hands them to compareOutcome, the function the
 * single run's report comes from. Every refusal names the files and what differs.
 */
import { type Shard, formatShard, shardSize, shardTasks, unshard } from '../shard';
import type { CompareReport } from './report';
import { type CompareOutcome, type CompareRunId, compareOutcome, compareRunOrder } from './run';
import type { CompareShardReport } from './shard-report';

export interface ShardFile {
  /** The file's name as given, for messages. */
  file: string;
  report: CompareShardReport;
}

export interface MergedCompare {
  report: CompareReport;
  lossCurves: CompareOutcome['lossCurves'];
}

interface Difference {
  /** Where, e.g. "config.epochs" or "config.techniques[1].flags.dropout". */
  path: string;
  a: unknown;
  b: unknown;
}

/** The first place where two JSON values differ, or undefined when they are equal. */
function firstDifference(a: unknown, b: unknown, path: string): Difference | undefined {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Object.is(a, b) ? undefined : { path, a, b };
  if (Array.isArray(a) !== Array.isArray(b)) return { path, a, b };
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const inner = Array.isArray(a) ? `${path}[${key}]` : `${path}.${key}`;
    const difference = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], inner);
    if (difference !== undefined) return difference;
  }
  return undefined;
}

const shown = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));

const formatRun = (run: CompareRunId): string => `${run.technique} seed ${run.seed}`;

/** Refuses shards of different studies, of different counts, a slice given twice or missing. */
function checkOneStudy(shards: readonly ShardFile[]): void {
  const [first] = shards;
  for (const other of shards.slice(1)) {
    const difference = firstDifference(first.report.config, other.report.config, 'config');
    if (difference !== undefined)
      throw new Error(
        `${first.file} and ${other.file} are shards of different studies: their ${difference.path} differ ` +
          `(${shown(difference.a)} in ${first.file}, ${shown(difference.b)} in ${other.file})`,
      );
    if (other.report.shard.count !== first.report.shard.count)
      throw new Error(
        `${first.file} is shard ${formatShard(first.report.shard)} and ${other.file} is shard ${formatShard(other.report.shard)}: ` +
          'the shards of one study are slices of the same N',
      );
  }
  const count = first.report.shard.count;
  const fileOf = new Map<number, string>();
  for (const { file, report } of shards) {
    const earlier = fileOf.get(report.shard.index);
    if (earlier !== undefined) throw new Error(`${earlier} and ${file} are both shard ${formatShard(report.shard)}`);
    fileOf.set(report.shard.index, file);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((index) => !fileOf.has(index));
  if (missing.length > 0)
    throw new Error(
      `shard${missing.length > 1 ? 's' : ''} ${missing.map((index) => `${index}/${count}`).join(', ')} of ${first.file}'s study ` +
        `${missing.length > 1 ? 'are' : 'is'} missing: a merge needs all ${count}`,
    );
}

/** Refuses a shard whose runs are not exactly those of its slice, in its order. */
function checkRuns(file: string, shard: Shard, runs: readonly CompareRunId[], expected: readonly CompareRunId[]): void {
  const k = expected.findIndex((run, i) => runs[i].technique !== run.technique || runs[i].seed !== run.seed);
  if (k !== -1)
    throw new Error(
      `${file} does not hold the runs of shard ${formatShard(shard)} of its study: it has ${formatRun(runs[k])} where ` +
        `${formatRun(expected[k])} belongs (run ${k + 1} of the slice)`,
    );
}

/** The report of the whole study the shards are slices of (in any order), exactly as one process would make it. */
export function mergeCompareShards(shards: readonly ShardFile[]): MergedCompare {
  if (shards.length === 0) throw new Error('no shard reports to merge');
  checkOneStudy(shards);
  const { techniques, ...config } = shards[0].report.config;
  const count = shards[0].report.shard.count;
  // Counted before the runs are listed: a config cannot make this build a list longer than the files.
  const total = techniques.length * config.seeds;
  for (const { file, report } of shards) {
    const size = shardSize(total, report.shard);
    if (report.runs.length !== size)
      throw new Error(
        `${file} does not hold the runs of shard ${formatShard(report.shard)} of its study: it has ${report.runs.length} run${report.runs.length === 1 ? '' : 's'}, ` +
          `the slice ${size} (of ${techniques.length} techniques × ${config.seeds} seeds)`,
      );
  }
  // A report made before --seed-offset existed ran seeds 0 … N−1.
  const order = compareRunOrder(
    techniques.map((t) => t.technique),
    config.seeds,
    config.seedOffset ?? 0,
  );
  const slices = Array.from({ length: count }, (_, i) => {
    const { file, report } = shards.find((s) => s.report.shard.index === i + 1)!;
    checkRuns(file, report.shard, report.runs, shardTasks(order, report.shard));
    return report.runs.map((run) => run.result);
  });
  const flagsOf = new Map(techniques.map((t) => [t.technique, t.flags]));
  const { rows, lossCurves } = compareOutcome(flagsOf, config.seeds, unshard(slices, order.length));
  // The time of the whole study: its shards' times added, as if they had run one after the other.
  const wallSeconds = shards.reduce((sum, s) => sum + s.report.wallSeconds, 0);
  return { report: { rows, config: { ...config, wallSeconds } }, lossCurves };
}
