/**
 * `dropgrad stochastic-depth`: parses the flags, runs the stochastic-depth experiment
 * (app/experiments/stochastic-depth/run.ts, where the claim and its measurement are described),
 * prints its table and writes its page. `--shard I/N` runs one slice of the seeds and prints them
 * as a partial report, which `dropgrad merge` puts together with the other slices.
 */
import type { CommandSpec } from '../args';
import type { Flags } from '../../flags/flag-spec';
import { UsageError } from '../../flags/usage-error';
import { parseChoice, parseNumber } from '../../flags/flag-values';
import { dataFlags, dataNotes, parseDataFlags } from '../data-flags';
import { examplesUsed, loadData } from '../../data/data-splits';
import type { CliIO } from '../io';
import { commandLine, percent as pct } from '../../results/report-page';
import type { CliEntry } from '../../experiments/process-pool';
import { jobsFlag, parseJobs } from '../jobs-flag';
import { type Environment, parseShardFlags, shardFlags } from '../shard-flags';
import { parseSeedOffset, seedOffsetFlag } from '../split-flags';
import { parseDepthOut, writeDepthOutput } from '../depth-output';
import { formatShard, shardTasks } from '../../experiments/shard';
import { type DepthConfig, depthOptimizers } from '../../experiments/stochastic-depth/config';
import type { DepthRunResult, DepthSeedResult, DepthSeedTask } from '../../experiments/stochastic-depth/seed-run';
import { depthOutcome, depthStudyConfig, depthTasks, runDepthTasks } from '../../experiments/stochastic-depth/run';
import { type DepthShardReport, depthShardKind } from '../../experiments/stochastic-depth/shard-report';
import { optimizerText } from '../../results/stochastic-depth-page';
import { partialResultNote } from '../../results/shard-note';

export const stochasticDepthSpec: CommandSpec = {
  name: 'stochastic-depth',
  summary: 'Train a deep ResNet with and without stochastic depth over seeds: time per epoch, the speed-up and test accuracy.',
  flags: {
    blocks: { type: 'string', value: 'N', description: 'basic blocks per stage (3 stages: 6N + 2 layers)', default: '3' },
    width: { type: 'string', value: 'W', description: 'planes of the first stage (then 2W, 4W)', default: '8' },
    pl: { type: 'string', value: 'PL', description: 'survival probability of the last block, p_L', default: '0.5' },
    convention: {
      type: 'string',
      value: 'NAME',
      description: 'inverted (divide a kept branch by p_l in training) or paper (scale the branch by p_l at test)',
      default: 'inverted',
    },
    seeds: { type: 'string', value: 'N', description: 'seeds per variant', default: '4' },
    ...seedOffsetFlag,
    epochs: { type: 'string', value: 'N', description: 'epochs per run (cosine learning rate to 0 over them)', default: '32' },
    'batch-size': { type: 'string', value: 'N', description: 'examples per step', default: '32' },
    optimizer: {
      type: 'string',
      value: 'NAME',
      description: "adam, or sgd: the paper's SGD (momentum 0.9, Nesterov, weight decay 1e-4)",
      default: 'adam',
    },
    lr: { type: 'string', value: 'RATE', description: 'initial learning rate (cosine to 0 over the run)', default: '0.005' },
    jobs: jobsFlag('seeds', 'accuracies'),
    json: {
      type: 'boolean',
      description: 'print the results (with --shard, the partial report) as JSON on stdout (progress goes to stderr)',
    },
    out: { type: 'string', value: 'FILE.md', description: 'write the report and an SVG chart of the timings next to it' },
    ...shardFlags('seeds, each with both variants in one process', 'seed'),
    ...dataFlags,
    limit: { type: 'string', value: 'N', description: 'training examples used', default: '500' },
    'test-limit': { type: 'string', value: 'N', description: 'test examples used', default: '10000' },
  },
  notes: dataNotes,
};

/**
 * @param cli how `--jobs N` starts the CLI again (default: this process's own command line; a
 * test running the command in-process names app/cli/main.ts instead).
 * @param env where `--shard auto` finds the scheduler's variables (default: this process's environment)
 */
export async function runStochasticDepth(flags: Flags, io: CliIO, cli?: CliEntry, env: Environment = process.env): Promise<number> {
  const start = performance.now();
  // Every flag is checked before the data is read or a run starts.
  const blocks = parseNumber('blocks', String(flags.blocks), { integer: true, min: 1 });
  const width = parseNumber('width', String(flags.width), { integer: true, min: 1 });
  const seeds = parseNumber('seeds', String(flags.seeds), { integer: true, min: 1 });
  const config: DepthConfig = {
    blocks,
    widths: [width, 2 * width, 4 * width],
    pL: parseNumber('pl', String(flags.pl), { min: 0, max: 1 }),
    convention: parseChoice('convention', String(flags.convention), ['inverted', 'paper'] as const),
    seeds,
    seedOffset: parseSeedOffset(flags, seeds),
    epochs: parseNumber('epochs', String(flags.epochs), { integer: true, min: 1 }),
    batchSize: parseNumber('batch-size', String(flags['batch-size']), { integer: true, min: 1 }),
    optimizer: parseChoice('optimizer', String(flags.optimizer), depthOptimizers),
    lr: parseNumber('lr', String(flags.lr), { min: 0 }),
  };
  const jobs = parseJobs(flags.jobs);
  const dataRequest = parseDataFlags(flags);
  const out = parseDepthOut(flags);
  const shard = parseShardFlags(flags, env);
  if (shard !== undefined && out !== undefined)
    throw new UsageError(
      `--out: shard ${formatShard(shard)} has a part of the seeds; the page comes from \`dropgrad merge … --out ${out}\``,
    );
  // With --json stdout carries the JSON only.
  const log = flags.json ? io.err : io.out;
  const data = loadData(dataRequest);
  const { train: trainExamples, test: testExamples } = examplesUsed(data);
  const tasks = depthTasks(config, dataRequest);
  const mine = shard !== undefined ? shardTasks(tasks, shard) : tasks;
  const part = shard !== undefined ? `, shard ${formatShard(shard)}: ${mine.length} of the ${tasks.length} seeds` : '';
  log.write(
    `ResNet-${6 * blocks + 2} (3 × ${blocks} basic blocks, widths ${config.widths.join('/')}) on ${data.name}: ` +
      `${trainExamples} training / ${testExamples} test examples, ${config.epochs} epochs of ${optimizerText(config)}, ` +
      `${config.seeds} seeds per variant${config.seedOffset === 0 ? '' : ` (${config.seedOffset} … ${config.seedOffset! + seeds - 1})`}, ${jobs} job${jobs === 1 ? '' : 's'}${part}\n`,
  );

  const logSeed = (result: DepthSeedResult, task: DepthSeedTask): void => {
    const line = (name: string, r: DepthRunResult): string =>
      `  ${name} seed ${task.seed}: ${r.secondsPerEpoch.toFixed(2)} s/epoch, test accuracy ${pct(r.testAcc)}%, ` +
      `train ${pct(r.trainAcc)}%, branches skipped ${pct(r.skipped / r.branches, 1)}%\n`;
    log.write(line('baseline        ', result.baseline) + line('stochastic depth', result.stochasticDepth));
  };
  const results = await runDepthTasks(mine, {
    request: dataRequest,
    data,
    jobs,
    cli,
    onResult: logSeed,
    log: (text) => io.err.write(text),
  });
  const studyConfig = depthStudyConfig(config, data, jobs);
  if (shard !== undefined) {
    const report: DepthShardReport = {
      kind: depthShardKind,
      shard,
      config: studyConfig,
      wallSeconds: Math.round((performance.now() - start) / 1000),
      runs: mine.map((task, i) => ({ seed: task.seed, result: results[i] })),
    };
    if (flags.json === true) io.out.write(`${JSON.stringify(report, null, 2)}\n`);
    else
      io.out.write(
        `\n${partialResultNote(shard, mine.length, `${tasks.length} seeds`, 'no means over seeds, no time saving and no p-values')}\n`,
      );
    return 0;
  }
  writeDepthOutput(
    depthOutcome(studyConfig, results),
    { json: flags.json === true, out, command: commandLine('stochastic-depth'), seconds: (performance.now() - start) / 1000 },
    io,
  );
  return 0;
}
