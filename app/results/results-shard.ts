/**
 * `npm run results` on many machines. `--shard I/N --json` runs slice I of N of every selected
 * experiment's runs and prints them as one results shard: each compare study and the
 * stochastic-depth study through its own `--shard I/N` (a slice of its (technique, seed) runs, or of
 * its seeds), and the variance-shift experiment whole in the last slice — its 35 short runs take
 * about as long as one of the compare studies' slices, so a slicing of its own would save little
 * and add a third kind of partial report. `--merge` checks that the files are every slice of one
 * run (the same experiments with the same command lines, the same N, each slice once), merges each
 * experiment's slices with that experiment's own merge, and gives the records a single run stores
 * in <out>/data/, from which the same pages are written.
 */
import { type Shard, formatShard } from '../experiments/shard';
import { type ShardKind, checkShardEnvelope, invalid, isNumber, isObject } from '../experiments/shard-report-check';
import { checkOneStudy } from '../experiments/shard-merge';
import { checkCompareShardReport } from '../experiments/compare/shard-report';
import { mergeCompareShards } from '../experiments/compare/merge';
import { checkDepthShardReport } from '../experiments/stochastic-depth/shard-report';
import { mergeDepthShards } from '../experiments/stochastic-depth/merge';
import { EXPERIMENTS, type ExperimentKind, type ExperimentRecord } from './experiments';

/** The value of `kind` that marks a results shard. */
export const resultsShardKind = 'results shard';

/** One experiment's part of a slice: the record's measured fields and what its command printed. */
export interface ResultsShardRun {
  name: string;
  seconds: number;
  machine: string;
  finishedAt: string;
  /** The experiment's partial report for this slice (its command's `--shard I/N --json`), its whole report (variance-shift, last slice), or null where the slice runs none of it. */
  result: unknown;
}

export interface ResultsShardConfig {
  /** --quick: the tiny versions (the summary page's command says so). */
  quick: boolean;
  /** The experiments run, in order, each with its whole study's command line, as its page states it. */
  experiments: Array<{ name: string; command: string }>;
}

export interface ResultsShardReport {
  kind: typeof resultsShardKind;
  shard: Shard;
  config: ResultsShardConfig;
  /** This slice's time, every experiment's part of it added. */
  wallSeconds: number;
  /** One per experiment of config.experiments, in its order. */
  runs: ResultsShardRun[];
}

/** The command line of an experiment's part of `shard`, or undefined where the slice runs none of it. */
export function shardArgs(kind: ExperimentKind, args: readonly string[], shard: Shard): string[] | undefined {
  if (kind === 'variance-shift') return shard.index === shard.count ? [...args] : undefined;
  return [...args, '--shard', formatShard(shard)];
}

const resultsShard: ShardKind = {
  kind: resultsShardKind,
  source: '`npm run results -- --shard I/N --json`',
  // A record of <out>/data/, which holds one experiment's whole report.
  isWhole: (value) => typeof value.command === 'string' && isObject(value.result),
};

const experimentNames = EXPERIMENTS.map((e) => e.name);

/** `value` (a parsed JSON file) as a results shard, every field the merge reads checked. */
export function checkResultsShard(file: string, value: unknown): ResultsShardReport {
  const { config, runs } = checkShardEnvelope(file, value, resultsShard);
  if (typeof config.quick !== 'boolean') invalid(file, 'config.quick', 'true or false', config.quick);
  const experiments = config.experiments;
  if (!Array.isArray(experiments) || experiments.length === 0) return invalid(file, 'config.experiments', 'a non-empty array', experiments);
  for (const [j, entry] of experiments.entries()) {
    const field = `config.experiments[${j}]`;
    if (!isObject(entry)) invalid(file, field, 'an object { name, command }', entry);
    if (typeof entry.name !== 'string' || !experimentNames.includes(entry.name))
      invalid(file, `${field}.name`, `one of ${experimentNames.join(', ')}`, entry.name);
    if (typeof entry.command !== 'string') invalid(file, `${field}.command`, 'a command line', entry.command);
  }
  if (runs.length !== experiments.length)
    invalid(file, 'runs', `one run per experiment of config.experiments (${experiments.length})`, `${runs.length} runs`);
  for (const [j, run] of runs.entries()) {
    const field = `runs[${j}]`;
    if (!isObject(run)) invalid(file, field, 'an object { name, seconds, machine, finishedAt, result }', run);
    if (run.name !== experiments[j].name) invalid(file, `${field}.name`, `config.experiments[${j}].name, ${experiments[j].name}`, run.name);
    if (!isNumber(run.seconds) || run.seconds < 0) invalid(file, `${field}.seconds`, 'a number ≥ 0', run.seconds);
    for (const key of ['machine', 'finishedAt']) if (typeof run[key] !== 'string') invalid(file, `${field}.${key}`, 'a string', run[key]);
    if (run.result !== null && !isObject(run.result)) invalid(file, `${field}.result`, 'a report or null', run.result);
  }
  return value as ResultsShardReport;
}

/** One slice's part of one experiment, named for the refusals, e.g. "shard-2.json (compare-mnist)". */
interface Part {
  file: string;
  shard: Shard;
  result: unknown;
}

/** Each part as its kind's shard report, checked, and checked to be of the slice it came in. */
function shardFiles<Report extends { shard: Shard }>(
  parts: readonly Part[],
  check: (file: string, value: unknown) => Report,
): Array<{ file: string; report: Report }> {
  return parts.map((part) => {
    const report = check(part.file, part.result);
    if (formatShard(report.shard) !== formatShard(part.shard))
      invalid(part.file, 'result.shard', `the slice of the results shard, ${formatShard(part.shard)}`, formatShard(report.shard));
    return { file: part.file, report };
  });
}

/** An experiment's whole report from its parts, one per slice in slice order, by that experiment's own merge. */
function mergeExperiment(kind: ExperimentKind, parts: readonly Part[]): unknown {
  if (kind === 'compare') return mergeCompareShards(shardFiles(parts, checkCompareShardReport)).report;
  if (kind === 'stochastic-depth') return mergeDepthShards(shardFiles(parts, checkDepthShardReport)).report;
  const last = parts[parts.length - 1];
  for (const part of parts.slice(0, -1))
    if (part.result !== null)
      invalid(part.file, 'result', `null: variance-shift runs whole in slice ${formatShard(last.shard)}`, part.result);
  if (!isObject(last.result) || !Array.isArray(last.result.placements) || !isObject(last.result.config))
    invalid(last.file, 'result', 'the whole variance-shift report { config, placements }', last.result);
  return last.result;
}

export interface MergedResults {
  quick: boolean;
  /** One record per experiment the slices ran, as a single run stores it. */
  records: ExperimentRecord[];
}

/**
 * The records of the run the files (in any order) are slices of. An experiment's `seconds` are its
 * slices' added, as if they had run one after the other; its `machine` and `finishedAt`, those of
 * the slices that ran a part of it (every machine, when they differ; the last to finish).
 */
export function mergeResultsShards(files: ReadonlyArray<{ file: string; value: unknown }>): MergedResults {
  if (files.length === 0) throw new Error('no results shards to merge');
  const shards = files.map(({ file, value }) => ({ file, report: checkResultsShard(file, value) }));
  checkOneStudy(shards);
  const ordered = [...shards].sort((a, b) => a.report.shard.index - b.report.shard.index);
  const { quick, experiments } = ordered[0].report.config;
  const records = experiments.map(({ name, command }, j): ExperimentRecord => {
    const experiment = EXPERIMENTS.find((e) => e.name === name)!;
    const runs = ordered.map(({ report }) => report.runs[j]);
    const ran = runs.filter((run) => run.result !== null);
    const parts = ordered.map(({ file, report }, i) => ({ file: `${file} (${name})`, shard: report.shard, result: runs[i].result }));
    return {
      name,
      kind: experiment.kind,
      title: experiment.title,
      dataset: experiment.dataset,
      command,
      seconds: runs.reduce((sum, run) => sum + run.seconds, 0),
      machine: [...new Set(ran.map((run) => run.machine))].join('; '),
      finishedAt:
        ran
          .map((run) => run.finishedAt)
          .sort()
          .at(-1) ?? '',
      result: mergeExperiment(experiment.kind, parts),
    };
  });
  return { quick, records };
}
