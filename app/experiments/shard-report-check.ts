/**
 * Reading back a shard report (compare's, stochastic depth's, `npm run results`'s): the checks of
 * its JSON fields, and of the envelope every kind shares — `kind`, `shard`, `config`,
 * `wallSeconds`, `runs` — so that each kind checks only its own config and runs. Every refusal
 * names the file, the field, the expectation and the value.
 */
import type { Shard } from './shard';

/**
 * The largest shard report read: a run takes about a kilobyte (more with many epochs), so this is
 * tens of thousands of runs, and a wrong file (a dataset, a checkpoint) is refused unread.
 */
export const maxShardReportBytes = 64 * 1024 * 1024;

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
export const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
export const isInteger = (value: unknown, min: number): value is number => Number.isSafeInteger(value) && (value as number) >= min;
export const isNumbers = (value: unknown): value is number[] => Array.isArray(value) && value.every(isNumber);

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Refuses a field of a shard report, naming the file, the field, the expectation and the value. */
export function invalid(file: string, field: string, expected: string, value: unknown): never {
  throw new Error(`${file}: ${field}: expected ${expected}, got ${shown(value)}`);
}

/** A kind of shard report: how it is marked and where it comes from, for the refusals. */
export interface ShardKind {
  /** The value of its `kind` field, e.g. "compare shard". */
  kind: string;
  /** The command line that prints it, e.g. "`dropgrad compare --shard I/N --json`". */
  source: string;
  /** Whether `value` is the report of a whole study of this command (a file easily given by mistake). */
  isWhole: (value: Record<string, unknown>) => boolean;
}

export interface ShardEnvelope {
  shard: Shard;
  config: Record<string, unknown>;
  wallSeconds: number;
  runs: unknown[];
}

/** The fields every shard report has, checked; the config and the runs are left to the kind's own check. */
export function checkShardEnvelope(file: string, value: unknown, kind: ShardKind): ShardEnvelope {
  if (!isObject(value) || value.kind !== kind.kind) {
    const why = !isObject(value)
      ? `it has no "kind": "${kind.kind}"`
      : kind.isWhole(value)
        ? 'it is the report of a whole study'
        : typeof value.kind === 'string'
          ? `it is a ${JSON.stringify(value.kind)} report`
          : `it has no "kind": "${kind.kind}"`;
    throw new Error(`${file} is not a ${kind.kind} report (${why}): shards come from ${kind.source}`);
  }
  const { shard, config } = value;
  if (!isObject(shard) || !isInteger(shard.count, 1) || !isInteger(shard.index, 1) || shard.index > shard.count)
    invalid(file, 'shard', 'an object { index, count } with 1 ≤ index ≤ count', shard);
  if (!isObject(config)) return invalid(file, 'config', 'an object', config);
  if (!isNumber(value.wallSeconds) || value.wallSeconds < 0) invalid(file, 'wallSeconds', 'a number ≥ 0', value.wallSeconds);
  if (!Array.isArray(value.runs)) invalid(file, 'runs', 'an array', value.runs);
  return { shard: shard as unknown as Shard, config, wallSeconds: value.wallSeconds as number, runs: value.runs as unknown[] };
}
