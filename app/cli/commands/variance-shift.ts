/**
 * `dropgrad variance-shift`: parses the flags, runs the variance-shift experiment
 * (app/experiments/variance-shift/run.ts, where its maths is), prints its table and writes its page.
 * `--split validation` scores on a validation split carved from the training set, as compare's
 * probes do (app/cli/split-flags.ts), so that a setting (the layer's width) is chosen without the test set.
 */
import { basename } from 'node:path';
import type { CommandSpec } from '../args';
import type { Flags } from '../../flags/flag-spec';
import { parseNumber, parseNumberList, parseOutputPath } from '../../flags/flag-values';
import { commandLine, percent as pct } from '../../results/report-page';
import { formatDurationInUnits } from '../../render/duration';
import { dataFlags, dataNotes, parseDataFlags } from '../data-flags';
import { examplesUsed, loadData } from '../../data/data-splits';
import { parseSplitFlags, splitDataRequest, splitFlags, splitNote } from '../split-flags';
import type { CliIO } from '../io';
import { varianceShift } from '../../experiments/variance-shift/run';
import { varianceShiftChartPath, varianceShiftTable, writeVarianceShiftPage } from '../../results/variance-shift-page';

const defaultTestLimit = '2000';

export const varianceShiftSpec: CommandSpec = {
  name: 'variance-shift',
  summary:
    'Measure the train/test variance shift that Dropout before BatchNorm causes, against the formula and a model without noise, and the Uout remedy at equal noise variance.',
  flags: {
    p: {
      type: 'string',
      value: 'P[,P…]',
      description: 'dropout rates, each run before BN and after the last BN (noise variance p/(1-p))',
      default: '0.5,0.25',
    },
    beta: {
      type: 'string',
      value: 'BETA[,BETA…]',
      description: 'Uout noise ranges, each run before BN (noise variance β²/3: β = 1 matches p = 0.25)',
      default: '0.1,1',
    },
    width: { type: 'string', value: 'N', description: 'units of the hidden layer the noise acts on', default: '256' },
    epochs: { type: 'string', value: 'N', description: 'training epochs per variant', default: '1' },
    seeds: {
      type: 'string',
      value: 'N',
      description: 'seeds per variant, K … K+N-1 with K from --seed-offset (accuracy mean ± std and Welch p-values from 2 on)',
      default: '1',
    },
    ...splitFlags,
    'validation-size': {
      ...splitFlags['validation-size'],
      description: `with --split validation: its images (default: --test-limit, else ${defaultTestLimit})`,
    },
    json: { type: 'boolean', description: 'print the results as JSON on stdout (progress goes to stderr)' },
    out: { type: 'string', value: 'FILE.md', description: 'write the table and an SVG chart as a Markdown report' },
    ...dataFlags,
    limit: { type: 'string', value: 'N', description: 'training examples used', default: '10000' },
    // No default in the spec: a --test-limit typed with --split validation is told apart from this one.
    'test-limit': { type: 'string', value: 'N', description: `test examples used (default ${defaultTestLimit})` },
  },
  notes: dataNotes,
};

export async function runVarianceShift(flags: Flags, io: CliIO): Promise<number> {
  const start = performance.now();
  const p = parseNumberList('p', String(flags.p), { min: 0, max: 0.99 });
  const beta = parseNumberList('beta', String(flags.beta), { min: 0, max: 1 });
  const width = parseNumber('width', String(flags.width), { integer: true, min: 1 });
  const epochs = parseNumber('epochs', String(flags.epochs), { integer: true, min: 1 });
  const seedCount = parseNumber('seeds', String(flags.seeds), { integer: true, min: 1 });
  const withLimit = { ...flags, 'test-limit': flags['test-limit'] ?? defaultTestLimit };
  const held = parseSplitFlags(flags, withLimit, seedCount);
  const { split, seedOffset } = held;
  const seeds = Array.from({ length: seedCount }, (_, i) => seedOffset + i);
  const dataRequest = splitDataRequest(parseDataFlags(withLimit), held);
  const out = flags.out !== undefined ? parseOutputPath('out', String(flags.out)) : undefined;
  if (out !== undefined) parseOutputPath('out (its chart)', varianceShiftChartPath(out));
  const log = flags.json ? io.err : io.out;
  const data = loadData(dataRequest);
  const used = examplesUsed(data);
  log.write(
    `variance shift on ${data.name}: width ${width}, ${seedCount} seed${seedCount === 1 ? '' : 's'} (${seeds[0]}${seedCount === 1 ? '' : ` … ${seeds.at(-1)}`}), ` +
      `${used.train} training / ${used.test} ${split} examples, ${epochs} epoch${epochs === 1 ? '' : 's'}${splitNote(split)}\n`,
  );

  const report = await varianceShift({ p, beta, width, epochs, seeds }, data, (run) => {
    if (seeds.length > 1)
      log.write(`  ${run.placement}, seed ${run.seed}: ratio ${run.measured.toFixed(3)}, ${split} accuracy ${pct(run.accuracy)}%\n`);
  });
  for (const r of report.placements) {
    log.write(
      `${r.name}: Var_test/Var_train measured ${r.measured.toFixed(3)}, predicted ${r.predicted.toFixed(3)}, zero-mean formula ${r.zeroMean.toFixed(3)}, ${split} accuracy ${pct(r.testAcc.mean)}%${seeds.length > 1 ? ` ± ${pct(r.testAcc.std)}` : ''}\n`,
    );
  }
  log.write(`\n${varianceShiftTable(report)}\n`);
  if (flags.json) io.out.write(`${JSON.stringify(report, null, 2)}\n`);
  if (out !== undefined) {
    const chart = writeVarianceShiftPage(out, report, {
      command: commandLine('variance-shift'),
      seeds,
      seconds: (performance.now() - start) / 1000,
    });
    log.write(`wrote ${out} and ${basename(chart)} (${formatDurationInUnits((performance.now() - start) / 1000)})\n`);
  }
  return 0;
}
