/**
 * `dropgrad compare`: parses the flags, runs the compare experiment (app/experiments/compare/run.ts)
 * and prints its table. `--preset overfit` is the regime where the papers' claims apply; `--jobs N`
 * spreads the runs over N processes; `--json` prints the table for scripts; `--out` writes a
 * Markdown report with SVG figures. `--shard I/N` runs one slice of the runs and prints them as a
 * partial report, which `dropgrad merge` puts together with the other slices.
 */
import type { CommandSpec } from '../args';
import type { Flags } from '../../flags/flag-spec';
import { UsageError } from '../../flags/usage-error';
import { parseChoice, parseNumber } from '../../flags/flag-values';
import { commandLine } from '../../results/report-page';
import { dataFlags, dataNotes, parseDataFlags } from '../data-flags';
import { examplesUsed, loadData } from '../../data/data-splits';
import { lrScheduleFlag } from '../schedule-flag';
import { planExperiment } from '../../setup/experiment';
import { dropTechniques, techniqueFlagSpecs } from '../../setup/drop-techniques';
import type { CliIO } from '../io';
import type { CliEntry } from '../../experiments/process-pool';
import { jobsFlag, parseJobs } from '../jobs-flag';
import { validationSplitSeed } from '../../data/validation-split';
import { parseSplitFlags, splitDataRequest, splitFlags, splitNote } from '../split-flags';
import { type Environment, parseShardFlags, shardFlags } from '../shard-flags';
import { compareOutFlag, parseCompareOut, writeCompareOutput } from '../compare-output';
import { lrScheduleNames } from '../../training/step-schedules';
import { mean } from '../../statistics/welch';
import { techniqueFlags, techniques } from '../../experiments/compare/techniques';
import { applyPreset, presetDefaults, presetNames, presets } from '../../experiments/compare/preset';
import type { CompareRunResult, CompareTask } from '../../experiments/compare/run-task';
import type { CompareConfig, CompareReport } from '../../experiments/compare/report';
import { compareOutcome, compareTasks, runCompareTasks } from '../../experiments/compare/run';
import { type CompareShardReport, compareShardKind } from '../../experiments/compare/shard-report';
import { formatShard, shardTasks } from '../../experiments/shard';
import { formatShardRuns } from '../../results/compare-shard-table';

/** The settings of the techniques compare tests, which replace their own. */
const settingFlags = techniqueFlagSpecs(dropTechniques.filter((t) => t.compare !== undefined));

export const compareSpec: CommandSpec = {
  name: 'compare',
  summary: 'Train the same model with each drop technique over several seeds and compare test accuracy, gap, time and significance.',
  flags: {
    preset: {
      type: 'string',
      value: 'NAME',
      description: `default (a quick look) or overfit (${presets.overfit.limit} training images fitted to 100% in ${presets.overfit.epochs} epochs, the full test set, ${presets.overfit.seeds} seeds)`,
      default: 'default',
    },
    techniques: {
      type: 'string',
      value: 'LIST',
      description: `comma-separated subset of: ${Object.keys(techniques).join(', ')} ${presetDefaults('techniques')}`,
    },
    seeds: { type: 'string', value: 'N', description: `seeds per technique (K … K+N-1, K from --seed-offset) ${presetDefaults('seeds')}` },
    ...splitFlags,
    epochs: { type: 'string', value: 'N', description: `epochs per run ${presetDefaults('epochs')}` },
    'batch-size': { type: 'string', value: 'N', description: `examples per step ${presetDefaults('batch-size')}` },
    lr: { type: 'string', value: 'RATE', description: `Adam's learning rate ${presetDefaults('lr')}` },
    schedule: { ...lrScheduleFlag, description: `${lrScheduleFlag.description} ${presetDefaults('schedule')}` },
    jobs: jobsFlag('runs', 'results'),
    json: {
      type: 'boolean',
      description: 'print the table (with --shard, the partial report) as JSON on stdout (progress goes to stderr)',
    },
    out: compareOutFlag,
    ...shardFlags('(technique, seed) runs', 'run'),
    ...settingFlags,
    ...dataFlags,
    limit: { type: 'string', value: 'N', description: `training examples used ${presetDefaults('limit')}` },
    'test-limit': { type: 'string', value: 'N', description: `test examples used ${presetDefaults('test-limit')}` },
  },
  notes: [
    'A regularizer flag (--dropout P, --cutout HOLES:LENGTH, …) replaces that setting in every chosen technique',
    'that uses it, e.g. `--techniques none,cutout --cutout 1:8` for one point of a sweep.',
    '',
    'A setting is chosen on the validation split (--split validation, seeds from --seed-offset 100) and only',
    'the final runs read the test set, with seeds no probe used (from --seed-offset 200; docs/results/README.md).',
    `The validation split is drawn from the whole training set with the fixed seed ${validationSplitSeed}; --limit then takes the first images left.`,
    '',
    dataNotes,
  ].join('\n'),
};

/** The technique names asked for, each known and listed once. */
function parseTechniques(value: string): string[] {
  const names = value === 'all' ? Object.keys(techniques) : value.split(',').map((s) => s.trim());
  for (const [i, name] of names.entries()) {
    // Own names only: `in` also finds toString and __proto__ on the object's prototype.
    if (!Object.hasOwn(techniques, name)) {
      throw new UsageError(
        `--techniques: unknown technique ${JSON.stringify(name)}; expected some of ${Object.keys(techniques).join(', ')}`,
      );
    }
    if (names.indexOf(name) !== i) throw new UsageError(`--techniques: ${JSON.stringify(name)} is listed twice`);
  }
  return names;
}

/**
 * @param cli how `--jobs N` starts the CLI again (default: this process's own command line; a
 * test running the command in-process names app/cli/main.ts instead).
 * @param env where `--shard auto` finds the scheduler's variables (default: this process's environment)
 */
export async function runCompare(given: Flags, io: CliIO, cli?: CliEntry, env: Environment = process.env): Promise<number> {
  const started = performance.now();
  // Every flag is checked before the data is read or a run starts.
  const preset = parseChoice('preset', String(given.preset), presetNames);
  const flags = applyPreset(preset, given);
  const seeds = parseNumber('seeds', String(flags.seeds), { integer: true, min: 1 });
  const epochs = parseNumber('epochs', String(flags.epochs), { integer: true, min: 1 });
  const batchSize = parseNumber('batch-size', String(flags['batch-size']), { integer: true, min: 1 });
  const lr = parseNumber('lr', String(flags.lr), { min: 0 });
  const schedule = parseChoice('schedule', String(flags.schedule), lrScheduleNames);
  const jobs = parseJobs(flags.jobs);
  const names = parseTechniques(String(flags.techniques));
  const runFlags = techniqueFlags(names, Object.fromEntries(Object.keys(settingFlags).map((name) => [name, flags[name]])));
  const flagsOf = new Map(names.map((name, i) => [name, runFlags[i]]));
  for (const f of flagsOf.values()) planExperiment(f);
  const held = parseSplitFlags(given, flags, seeds);
  const { split, seedOffset } = held;
  const dataRequest = splitDataRequest(parseDataFlags(flags), held);
  const out = parseCompareOut(flags);
  const shard = parseShardFlags(flags, env);
  if (shard !== undefined && out !== undefined)
    throw new UsageError(
      `--out: shard ${formatShard(shard)} has a part of the runs; the page comes from \`dropgrad merge … --out ${out}\``,
    );
  const log = flags.json === true ? io.err : io.out;

  const data = loadData(dataRequest);
  const used = examplesUsed(data);
  const config: CompareConfig = {
    dataset: data.name,
    preset,
    split,
    limit: used.train,
    testLimit: split === 'test' ? used.test : 0,
    ...(split === 'validation' && { validationSize: used.test, validationSeed: validationSplitSeed }),
    epochs,
    seeds,
    seedOffset,
    batchSize,
    lr,
    optimizer: 'adam',
    schedule,
    jobs,
  };
  const tasks = compareTasks({ flagsOf, seeds, seedOffset, epochs, batchSize, lr, schedule }, dataRequest);
  const mine = shard !== undefined ? shardTasks(tasks, shard) : tasks;
  const part = shard !== undefined ? `, shard ${formatShard(shard)}: ${mine.length} of the ${tasks.length} runs` : '';
  log.write(
    `comparing ${names.length} techniques × ${seeds} seeds${seedOffset === 0 ? '' : ` (${seedOffset} … ${seedOffset + seeds - 1})`} on ${data.name} ` +
      `(${config.limit} training / ${used.test} ${split} examples, ` +
      `${epochs} epochs, batch ${batchSize}, Adam lr ${lr} ${schedule}, preset ${preset}, ${jobs} job${jobs === 1 ? '' : 's'}${part})${splitNote(split)}\n`,
  );

  const logRun = (result: CompareRunResult, task: CompareTask): void => {
    log.write(
      `  ${task.technique.padEnd(22)} seed ${task.seed}: ${split} accuracy ${(100 * result.testAccuracy).toFixed(2)}%, ` +
        `train ${(100 * result.trainAccuracy).toFixed(2)}% (${mean(result.secondsPerEpoch).toFixed(2)} s/epoch)\n`,
    );
  };
  const results = await runCompareTasks(mine, {
    request: dataRequest,
    data,
    jobs,
    cli,
    onResult: logRun,
    log: (text) => io.err.write(text),
  });
  // wallSeconds is the whole command's time, data loading included.
  const wallSeconds = Math.round((performance.now() - started) / 1000);
  if (shard !== undefined) {
    const report: CompareShardReport = {
      kind: compareShardKind,
      shard,
      config: { ...config, techniques: names.map((technique) => ({ technique, flags: flagsOf.get(technique)! })) },
      wallSeconds,
      runs: mine.map((task, i) => ({ technique: task.technique, seed: task.seed, result: results[i] })),
    };
    io.out.write(flags.json === true ? `${JSON.stringify(report, null, 2)}\n` : `\n${formatShardRuns(report)}\n`);
    return 0;
  }
  const { rows, lossCurves } = compareOutcome(flagsOf, seeds, results);
  const report: CompareReport = { rows, config: { ...config, wallSeconds } };
  writeCompareOutput(report, lossCurves, { json: flags.json === true, out, command: commandLine('compare') }, io);
  return 0;
}
