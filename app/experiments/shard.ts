/**
 * A study's runs split into N slices that separate machines can run (`compare --shard I/N`). Run k
 * of the canonical order goes to shard (k mod N) + 1: the rule needs no knowledge of how many runs
 * there are, every run has exactly one shard for any N (a shard past the last run is empty), and
 * the techniques are spread over the shards instead of one shard taking all seeds of a slow one.
 */

/** Slice `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** The shard (1-based) that run `k` (0-based, canonical order) belongs to. */
export const shardOfRun = (k: number, count: number): number => (k % count) + 1;

/** The runs of `tasks` (in canonical order) that `shard` runs, in that order. */
export function shardTasks<T>(tasks: readonly T[], shard: Shard): T[] {
  return tasks.filter((_, k) => shardOfRun(k, shard.count) === shard.index);
}

/** How many of `total` runs `shard` has (shardTasks' length, without the runs). */
export const shardSize = (total: number, shard: Shard): number => Math.max(0, Math.ceil((total - shard.index + 1) / shard.count));

/**
 * Undoes shardTasks: the results of all `slices` (slices[i] from shard i + 1, each in its own
 * order) back in the canonical order of `total` runs.
 */
export function unshard<R>(slices: ReadonlyArray<readonly R[]>, total: number): R[] {
  const count = slices.length;
  return Array.from({ length: total }, (_, k) => slices[k % count][Math.floor(k / count)]);
}

export const formatShard = (shard: Shard): string => `${shard.index}/${shard.count}`;
