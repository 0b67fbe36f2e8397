/**
 * What `stochastic-depth --shard I/N --json` prints: the study's config, which slice this is, and
 * each of its seeds' results (both variants) — all `dropgrad merge` needs to compute the report of
 * the whole study, and nothing computed from a part (no means, no p-values, no time saving). Read
 * back, a shard report is checked field by field; every refusal names the file and the field.
 */
import type { Shard } from '../shard';
import { type ShardKind, checkShardEnvelope, invalid, isInteger, isNumber, isObject } from '../shard-report-check';
import { depthOptimizers } from './config';
import type { DepthStudyConfig } from './run';
import type { DepthSeedResult } from './seed-run';

/** The value of `kind` that marks a stochastic-depth shard report. */
export const depthShardKind = 'stochastic-depth shard';

export interface DepthShardRun {
  seed: number;
  result: DepthSeedResult;
}

export interface DepthShardReport {
  kind: typeof depthShardKind;
  shard: Shard;
  /** The whole study's: equal in every shard of it. */
  config: DepthStudyConfig;
  /** This shard's command's time, data loading included. */
  wallSeconds: number;
  /** This shard's seeds, in order. */
  runs: DepthShardRun[];
}

export const depthShard: ShardKind = {
  kind: depthShardKind,
  source: '`dropgrad stochastic-depth --shard I/N --json`',
  isWhole: (value) => isObject(value.baseline) && isObject(value.stochasticDepth) && isObject(value.config),
};

function checkVariant(file: string, field: string, value: unknown): void {
  if (!isObject(value)) invalid(file, field, 'an object { testAcc, trainAcc, secondsPerEpoch, skipped, branches }', value);
  for (const key of ['testAcc', 'trainAcc', 'secondsPerEpoch'])
    if (!isNumber(value[key])) invalid(file, `${field}.${key}`, 'a number', value[key]);
  for (const key of ['skipped', 'branches']) if (!isInteger(value[key], 0)) invalid(file, `${field}.${key}`, 'an integer ≥ 0', value[key]);
}

function checkRun(file: string, field: string, value: unknown): void {
  if (!isObject(value)) invalid(file, field, 'an object { seed, result }', value);
  if (!isInteger(value.seed, 0)) invalid(file, `${field}.seed`, 'an integer ≥ 0', value.seed);
  if (!isObject(value.result)) invalid(file, `${field}.result`, 'an object { baseline, stochasticDepth }', value.result);
  for (const variant of ['baseline', 'stochasticDepth']) checkVariant(file, `${field}.result.${variant}`, value.result[variant]);
}

/** `value` (a parsed JSON file) as a stochastic-depth shard report, every field `dropgrad merge` reads checked. */
export function checkDepthShardReport(file: string, value: unknown): DepthShardReport {
  const { config, runs } = checkShardEnvelope(file, value, depthShard);
  for (const key of ['blocks', 'seeds', 'residualBlocks'])
    if (!isInteger(config[key], 1)) invalid(file, `config.${key}`, 'an integer ≥ 1', config[key]);
  if (config.seedOffset !== undefined && !isInteger(config.seedOffset, 0))
    invalid(file, 'config.seedOffset', 'an integer ≥ 0', config.seedOffset);
  if (config.residualBlocks !== 3 * (config.blocks as number))
    invalid(file, 'config.residualBlocks', `3 × config.blocks = ${3 * (config.blocks as number)}`, config.residualBlocks);
  if (!isNumber(config.pL) || config.pL < 0 || config.pL > 1) invalid(file, 'config.pL', 'a number in [0, 1]', config.pL);
  if (config.convention !== 'inverted' && config.convention !== 'paper')
    invalid(file, 'config.convention', 'inverted or paper', config.convention);
  if (!depthOptimizers.some((name) => name === config.optimizer))
    invalid(file, 'config.optimizer', depthOptimizers.join(' or '), config.optimizer);
  for (const [i, run] of runs.entries()) checkRun(file, `runs[${i}]`, run);
  return value as DepthShardReport;
}
