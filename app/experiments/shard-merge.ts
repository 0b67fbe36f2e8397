/**
 * Putting the shards of one study back together (`dropgrad merge`), for any study whose runs are
 * sliced by app/experiments/shard.ts — compare's (technique, seed) runs, stochastic depth's seeds.
 * It checks that the shards are one study — the same config in full, the same number of shards,
 * each slice once, each holding exactly the runs its slice has — and gives their runs back in the
 * canonical order, for the study's own report function to compute the single run's report from.
 * Every refusal names the files and what differs.
 */
import { type Shard, formatShard, shardSize, shardTasks, unshard } from './shard';

/** The part of a shard report (compare's, stochastic depth's) that the merge reads. */
export interface ShardReport<Run> {
  shard: Shard;
  /** The whole study's: equal in every shard of it. */
  config: object;
  /** This shard's command's time, data loading included. */
  wallSeconds: number;
  /** This shard's runs, in the canonical order. */
  runs: readonly Run[];
}

export interface ShardFile<Report> {
  /** The file's name as given, for messages. */
  file: string;
  report: Report;
}

/** What the merge needs to know of the study the shards claim to be slices of. */
export interface StudyRuns<Run> {
  /** How many runs the whole study has. */
  total: number;
  /** How that count comes about, for a refusal (e.g. "of 2 techniques × 3 seeds"). */
  totalText: string;
  /** Every run's name in the canonical order; called only once `total` is known to be the files' (it may be long). */
  order: () => readonly string[];
  /** A run's name as `order` gives it, e.g. "none seed 2". */
  name: (run: Run) => string;
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

/** Refuses shards of different studies, of different counts, a slice given twice or missing. */
export function checkOneStudy<Run>(shards: readonly ShardFile<ShardReport<Run>>[]): void {
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
function checkRuns(file: string, shard: Shard, runs: readonly string[], expected: readonly string[]): void {
  const k = expected.findIndex((run, i) => runs[i] !== run);
  if (k !== -1)
    throw new Error(
      `${file} does not hold the runs of shard ${formatShard(shard)} of its study: it has ${runs[k]} where ` +
        `${expected[k]} belongs (run ${k + 1} of the slice)`,
    );
}

export interface MergedRuns<Run> {
  /** Every run of the study, in the canonical order. */
  runs: Run[];
  /** The time of the whole study: its shards' times added, as if they had run one after the other. */
  wallSeconds: number;
}

/**
 * The runs of the whole study the shards (in any order) are slices of, in the canonical order,
 * once they are checked to be every slice of one study. `study(config)` describes that study from
 * the config the shards share.
 */
export function mergeShardRuns<Report extends ShardReport<unknown>>(
  shards: readonly ShardFile<Report>[],
  study: (config: Report['config']) => StudyRuns<Report['runs'][number]>,
): MergedRuns<Report['runs'][number]> {
  if (shards.length === 0) throw new Error('no shard reports to merge');
  checkOneStudy(shards);
  const { total, totalText, order, name } = study(shards[0].report.config);
  // Counted before the runs are listed: a config cannot make this build a list longer than the files.
  for (const { file, report } of shards) {
    const size = shardSize(total, report.shard);
    if (report.runs.length !== size)
      throw new Error(
        `${file} does not hold the runs of shard ${formatShard(report.shard)} of its study: it has ${report.runs.length} run${report.runs.length === 1 ? '' : 's'}, ` +
          `the slice ${size} (${totalText})`,
      );
  }
  const names = order();
  const count = shards[0].report.shard.count;
  const slices = Array.from({ length: count }, (_, i) => {
    const { file, report } = shards.find((s) => s.report.shard.index === i + 1)!;
    checkRuns(file, report.shard, report.runs.map(name), shardTasks(names, report.shard));
    return report.runs;
  });
  return { runs: unshard(slices, total), wallSeconds: shards.reduce((sum, s) => sum + s.report.wallSeconds, 0) };
}
