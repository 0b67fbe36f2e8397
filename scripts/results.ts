/**
 * `npm run results [-- --only NAME[,NAME…]] [--quick] [--out DIR]`: regenerates docs/results/
 * (app/results/run-results.ts). --only reruns some experiments and rebuilds the summary pages from
 * the stored results of the others; --quick runs tiny versions (seconds) for tests.
 */
import { parseArgs } from 'node:util';
import { runResults } from '../app/results/run-results';

const { values } = parseArgs({
  options: { only: { type: 'string' }, quick: { type: 'boolean' }, out: { type: 'string' } },
  strict: true,
});

runResults({
  outDir: values.out ?? 'docs/results',
  only: values.only?.split(',').map((s) => s.trim()),
  quick: values.quick,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`npm run results: ${error.message}\n`);
    process.exitCode = 2;
  },
);
