/**
 * `npm run results [-- flags]` (scripts/results.ts): its flags, checked as a `dropgrad` command's
 * are (unknown or repeated flags refused, each combination that cannot work named), and the run
 * they ask for — every experiment and its pages (app/results/run-results.ts), one slice of them as
 * JSON on stdout (`--shard I/N --json`), or the slices merged into the pages (`--merge`).
 */
import { type CommandSpec, helpText, parseCommandLine } from './args';
import { UsageError } from '../flags/usage-error';
import { type Environment, parseShardFlags, shardFlags } from './shard-flags';
import type { CliIO } from './io';
import { mergeResults, runResults, runResultsShard } from '../results/run-results';
import { formatShard } from '../experiments/shard';

const defaultOut = 'docs/results';

export const resultsSpec: CommandSpec = {
  name: 'results',
  invocation: 'npm run results --',
  summary: 'Run every experiment behind docs/results/ and write its pages: each experiment page, claims.md and README.md.',
  operands: {
    value: 'SHARD.json…',
    description: 'with --merge: the --json output of every slice of one run (any order), as `--shard I/N --json` printed them',
  },
  flags: {
    only: {
      type: 'string',
      value: 'NAME[,NAME…]',
      description: "run these experiments (or the experiments a claim's id reads); the pages use the others' stored results",
    },
    quick: { type: 'boolean', description: 'tiny versions of the experiments (seconds), for tests' },
    pages: { type: 'boolean', description: 'run nothing: rebuild every page from the stored results in <out>/data/' },
    // No default in the spec: a slice, which writes nothing, refuses an --out typed.
    out: { type: 'string', value: 'DIR', description: `where the pages and data/ go (default ${defaultOut})` },
    ...shardFlags('runs of every experiment', 'in each compare and stochastic-depth study, run', {
      note: '; variance-shift runs whole in slice N',
      mergedBy: '`--merge`',
    }),
    json: { type: 'boolean', description: "with --shard: print the slice's report as JSON on stdout (progress goes to stderr)" },
    merge: {
      type: 'boolean',
      description: "merge the slices' reports (SHARD.json…) into the records and pages one run writes, in --out",
    },
  },
};

/** The flags --merge takes from the slices instead of the command line. */
const notWithMerge = ['only', 'quick', 'pages', 'shard', 'shards', 'json'];

/**
 * @param env where `--shard auto` finds the scheduler's variables
 * @returns the exit status
 */
export async function runResultsCommand(argv: readonly string[], io: CliIO, env: Environment): Promise<number> {
  const { flags, operands } = parseCommandLine(resultsSpec, argv);
  if (flags.help) {
    io.out.write(`${helpText(resultsSpec)}\n`);
    return 0;
  }
  const outDir = flags.out === undefined ? defaultOut : String(flags.out);
  const log = (line: string): void => io.out.write(`${line}\n`);
  if (flags.merge === true) {
    const given = notWithMerge.find((name) => flags[name] !== undefined);
    if (given !== undefined)
      throw new UsageError(`--${given} with --merge: the slices say which experiments ran and how; give --merge only the files and --out`);
    if (operands.length === 0) throw new UsageError('--merge: expected the slices to merge (SHARD.json…), got none');
    return mergeResults({ files: operands, outDir, log });
  }
  if (operands.length > 0)
    throw new UsageError(`unexpected argument ${JSON.stringify(operands[0])}: files are read only with --merge (flags start with --)`);
  const only =
    flags.only === undefined
      ? undefined
      : String(flags.only)
          .split(',')
          .map((name) => name.trim());
  const quick = flags.quick === true;
  const shard = parseShardFlags(flags, env);
  if (shard === undefined) {
    if (flags.json === true)
      throw new UsageError('--json: only a slice (--shard I/N) prints JSON; a whole run writes its records and pages to --out');
    return runResults({ outDir, only, quick, pagesOnly: flags.pages === true, log });
  }
  const slice = `--shard ${formatShard(shard)}`;
  if (flags.pages === true) throw new UsageError(`--pages with ${slice}: --pages runs no experiment`);
  if (flags.out !== undefined)
    throw new UsageError(
      `--out with ${slice}: a slice writes no page; its report goes to stdout, and \`--merge SHARD.json… --out DIR\` writes the pages`,
    );
  if (flags.json !== true) throw new UsageError(`${slice}: a slice's report is JSON on stdout, for --merge; add --json`);
  const report = await runResultsShard({ only, quick, shard, log: (line) => io.err.write(`${line}\n`) });
  if (report === undefined) return 1;
  io.out.write(`${JSON.stringify(report, null, 2)}\n`);
  return 0;
}
