#!/usr/bin/env node
/** The `dropgrad` command: dispatches to a subcommand, turns usage errors into one clear line. */
import { type CommandSpec, helpText, parseCommandLine } from './args';
import type { Flags } from '../flags/flag-spec';
import { UsageError } from '../flags/usage-error';
import { type CliIO, keepWorkingWhenThePipeCloses, processIO } from './io';
import { runTrain, trainSpec } from './commands/train';
import { evalSpec, runEval } from './commands/eval';
import { gradcheckSpec, runGradcheck } from './commands/gradcheck';
import { compareSpec, runCompare } from './commands/compare';
import { runVarianceShift, varianceShiftSpec } from './commands/variance-shift';
import { runVisualize, visualizeSpec } from './commands/visualize';
import { runStochasticDepth, stochasticDepthSpec } from './commands/stochastic-depth';
import { mergeSpec, runMerge } from './commands/merge';
import { serveTasks, workerVariable } from '../experiments/process-pool';
import { runCompareTaskHere } from '../experiments/compare/run-task';
import { runDepthSeedHere } from '../experiments/stochastic-depth/seed-run';

interface Command {
  spec: CommandSpec;
  /** `operands`: the arguments after the flags, for a command whose spec takes them. */
  run: (flags: Flags, io: CliIO, operands: readonly string[]) => number | Promise<number>;
}

const commands: Command[] = [
  { spec: trainSpec, run: runTrain },
  { spec: evalSpec, run: runEval },
  { spec: gradcheckSpec, run: runGradcheck },
  { spec: compareSpec, run: (flags, io) => runCompare(flags, io) },
  { spec: mergeSpec, run: runMerge },
  { spec: varianceShiftSpec, run: runVarianceShift },
  { spec: visualizeSpec, run: runVisualize },
  { spec: stochasticDepthSpec, run: (flags, io) => runStochasticDepth(flags, io) },
];

function overview(): string {
  const rows = commands.map((c) => `  ${c.spec.name.padEnd(16)} ${c.spec.summary}`);
  return ['Usage: dropgrad <command> [flags]', '', 'Commands:', ...rows, '', 'Run `dropgrad <command> --help` for its flags.'].join('\n');
}

export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out.write(`${overview()}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.spec.name === name);
  try {
    if (!command)
      throw new UsageError(`unknown command ${JSON.stringify(name)}; expected one of ${commands.map((c) => c.spec.name).join(', ')}`);
    const { flags, operands } = parseCommandLine(command.spec, rest);
    if (flags.help) {
      io.out.write(`${helpText(command.spec)}\n`);
      return 0;
    }
    return await command.run(flags, io, operands);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err.write(`dropgrad: ${error.message}\n`);
      return 2;
    }
    // Library errors already name the argument and value; print the message, not a stack.
    if (error instanceof Error) {
      io.err.write(`dropgrad ${name}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** The kinds of task a child started by `--jobs N` serves (compare, stochastic-depth), by DROPGRAD_WORKER. */
const workers: Record<string, () => void> = {
  compare: () => serveTasks(runCompareTaskHere),
  'stochastic-depth': () => serveTasks(runDepthSeedHere),
};

/** A child started by `--jobs N` serves runs instead of reading its arguments. */
function serveAsWorker(kind: string): void {
  const serve = workers[kind];
  // Set by hand, the variable would make this process wait for tasks that never come (or fail raw).
  if (process.send === undefined) {
    process.stderr.write(
      `dropgrad: ${workerVariable}=${kind} is internal: \`dropgrad compare --jobs N\` and \`dropgrad stochastic-depth --jobs N\` set it ` +
        'in the child processes they start, which take their runs from the parent over an IPC channel; this process has none. ' +
        `Unset it to run dropgrad (\`env -u ${workerVariable} dropgrad …\`)\n`,
    );
    process.exit(2);
  }
  if (serve === undefined) {
    process.stderr.write(`dropgrad: ${workerVariable}=${kind} is not a worker kind (expected ${Object.keys(workers).join(' or ')})\n`);
    process.exit(2);
  }
  serve();
}

/** Runs this process as the CLI: a worker when DROPGRAD_WORKER is set, else the command in its arguments. */
export function runAsMain(): void {
  const worker = process.env[workerVariable];
  if (worker !== undefined) {
    serveAsWorker(worker);
    return;
  }
  keepWorkingWhenThePipeCloses(process.stdout);
  keepWorkingWhenThePipeCloses(process.stderr);
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

// Run directly (tsx, dist/cli.cjs, a child forked by --jobs); scripts/run-cli.mjs calls runAsMain itself.
if (require.main === module) runAsMain();
