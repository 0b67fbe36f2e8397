/**
 * `npm run results [-- --only NAME[,NAME…]] [--quick] [--out DIR]`: regenerates docs/results/
 * (app/results/run-results.ts). --only reruns some experiments — named, or the ones a claim reads,
 * by the claim's id (`--only dropblock` runs compare on both data sets) — and rebuilds the pages
 * from their new results and the stored results of the others; --quick runs tiny versions (seconds)
 * for tests.
 *
 * `npm run results -- --pages`: runs no experiment; rebuilds every page (each experiment's page and
 * chart, claims.md, README.md) from the stored JSON in <out>/data/, in seconds — for a change of
 * wording or format.
 *
 * `npm run results -- --shard I/N --json` runs slice I of N of every experiment on this machine and
 * prints it; `npm run results -- --merge SHARD.json… [--out DIR]` merges the slices into the records
 * and pages one run writes (docs/results/scaling-out.md). Flags: app/cli/results-command.ts.
 */
import { runResultsCommand } from '../app/cli/results-command';
import { processIO } from '../app/cli/io';
import { UsageError } from '../app/flags/usage-error';

runResultsCommand(process.argv.slice(2), processIO, process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`npm run results: ${error.message}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
