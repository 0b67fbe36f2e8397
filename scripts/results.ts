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
 */
import { parseArgs } from 'node:util';
import { runResults } from '../app/results/run-results';

const { values } = parseArgs({
  options: { only: { type: 'string' }, quick: { type: 'boolean' }, pages: { type: 'boolean' }, out: { type: 'string' } },
  strict: true,
});

runResults({
  outDir: values.out ?? 'docs/results',
  only: values.only?.split(',').map((s) => s.trim()),
  quick: values.quick,
  pagesOnly: values.pages,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`npm run results: ${error.message}\n`);
    process.exitCode = 2;
  },
);
