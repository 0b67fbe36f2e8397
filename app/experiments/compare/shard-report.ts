/**
 * What `compare --shard I/N --json` prints: the study's config (the techniques with their flags
 * included, so that two studies differing only in `--dropout 0.3` are told apart), which slice this
 * is, and the result of each run it made — all `dropgrad merge` needs to compute the report of the
 * whole study, and nothing computed from a part (no means, no p-values). Read back, a shard report
 * is checked field by field; every refusal names the file and the field.
 */
import type { Flags } from '../../flags/flag-spec';
import type { Shard } from '../shard';
import type { CompareConfig } from './report';
import type { CompareRunId } from './run';
import type { CompareRunResult } from './run-task';
import { techniques } from './techniques';
import { type ShardKind, checkShardEnvelope, invalid, isInteger, isNumber, isNumbers, isObject } from '../shard-report-check';

/** The value of `kind` that marks a compare shard report. */
export const compareShardKind = 'compare shard';

export interface CompareStudyConfig extends CompareConfig {
  /** The techniques in the table's order, each with the `train` flags it ran with. */
  techniques: Array<{ technique: string; flags: Flags }>;
}

export interface CompareShardRun extends CompareRunId {
  result: CompareRunResult;
}

export interface CompareShardReport {
  kind: typeof compareShardKind;
  shard: Shard;
  /** The whole study's: equal in every shard of it. */
  config: CompareStudyConfig;
  /** This shard's command's time, data loading included. */
  wallSeconds: number;
  /** This shard's runs, in the canonical order. */
  runs: CompareShardRun[];
}

function checkRun(file: string, field: string, value: unknown): void {
  if (!isObject(value)) invalid(file, field, 'an object { technique, seed, result }', value);
  if (typeof value.technique !== 'string') invalid(file, `${field}.technique`, 'a technique name', value.technique);
  if (!isInteger(value.seed, 0)) invalid(file, `${field}.seed`, 'an integer ≥ 0', value.seed);
  const result = value.result;
  if (!isObject(result)) invalid(file, `${field}.result`, 'an object', result);
  for (const key of ['testAccuracy', 'trainAccuracy'])
    if (!isNumber(result[key])) invalid(file, `${field}.result.${key}`, 'a number', result[key]);
  for (const key of ['secondsPerEpoch', 'lossCurve'])
    if (!isNumbers(result[key])) invalid(file, `${field}.result.${key}`, 'an array of numbers', result[key]);
}

function checkTechniques(file: string, value: unknown): void {
  if (!Array.isArray(value) || value.length === 0) invalid(file, 'config.techniques', 'a non-empty array', value);
  for (const [i, entry] of (value as unknown[]).entries()) {
    const field = `config.techniques[${i}]`;
    if (!isObject(entry)) invalid(file, field, 'an object { technique, flags }', entry);
    if (typeof entry.technique !== 'string' || !Object.hasOwn(techniques, entry.technique))
      invalid(file, `${field}.technique`, `one of ${Object.keys(techniques).join(', ')}`, entry.technique);
    if (!isObject(entry.flags) || !Object.values(entry.flags).every((v) => typeof v === 'string' || typeof v === 'boolean'))
      invalid(file, `${field}.flags`, 'an object of flag values (strings or booleans)', entry.flags);
  }
}

const compareShard: ShardKind = {
  kind: compareShardKind,
  source: '`dropgrad compare --shard I/N --json`',
  isWhole: (value) => Array.isArray(value.rows) && isObject(value.config),
};

/** `value` (a parsed JSON file) as a compare shard report, every field `dropgrad merge` reads checked. */
export function checkCompareShardReport(file: string, value: unknown): CompareShardReport {
  const { config, runs } = checkShardEnvelope(file, value, compareShard);
  if (!isInteger(config.seeds, 1)) invalid(file, 'config.seeds', 'an integer ≥ 1', config.seeds);
  if (config.seedOffset !== undefined && !isInteger(config.seedOffset, 0))
    invalid(file, 'config.seedOffset', 'an integer ≥ 0', config.seedOffset);
  checkTechniques(file, config.techniques);
  for (const [i, run] of runs.entries()) checkRun(file, `runs[${i}]`, run);
  return value as CompareShardReport;
}
