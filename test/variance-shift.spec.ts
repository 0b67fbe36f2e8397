import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFlags } from '../app/cli/args';
import { runVarianceShift, varianceShiftSpec } from '../app/cli/commands/variance-shift';
import {
  type StoredVarianceShiftReport,
  type VarianceShiftReport,
  currentVarianceShiftReport,
} from '../app/experiments/variance-shift/report';
import { uoutBetaMatching } from '../app/experiments/variance-shift/noise-variance';
import { holmAdjust } from '../app/statistics/holm';
import { welchTTest } from '../app/statistics/welch';
import { varianceShiftTable, writeVarianceShiftPage } from '../app/results/variance-shift-page';
import { validationSplitSeed } from '../app/data/validation-split';
import type { ExperimentRecord } from '../app/results/experiments';
import { bufferIO } from './helpers/buffer-io';
import { useTempDir, writeIndexedIdxSplit } from './helpers/data-files';

/** variance-shift --json with these flags. */
async function report(args: string[]): Promise<VarianceShiftReport> {
  const io = bufferIO();
  expect(await runVarianceShift(parseFlags(varianceShiftSpec, [...args, '--json']), io)).to.equal(0);
  return JSON.parse(io.stdout()) as VarianceShiftReport;
}

describe('dropgrad variance-shift', function () {
  this.timeout(120000);
  const tempDir = useTempDir();

  it('measures the shift at the BN after the noise and agrees with the formula; no noise, no shift', async () => {
    const io = bufferIO();
    const flags = parseFlags(varianceShiftSpec, ['--limit', '512', '--test-limit', '400', '--p', '0.5', '--beta', '0.5']);
    expect(await runVarianceShift(flags, io)).to.equal(0);
    const rows = [
      ...io.stdout().matchAll(/^(.+): Var_test\/Var_train measured ([\d.]+), predicted ([\d.]+), zero-mean formula ([\d.]+)/gm),
    ];
    const byName = new Map(rows.map((m) => [m[1], { measured: Number(m[2]), predicted: Number(m[3]), zeroMean: Number(m[4]) }]));
    expect([...byName.keys()]).to.deep.equal(['no noise', 'dropout 0.5 before BN', 'dropout 0.5 after the last BN', 'Uout 0.5 before BN']);
    const before = byName.get('dropout 0.5 before BN')!;
    const after = byName.get('dropout 0.5 after the last BN')!;
    const uout = byName.get('Uout 0.5 before BN')!;
    expect(byName.get('no noise')).to.deep.equal({ measured: 1, predicted: 1, zeroMean: 1 });
    // Dropout before BN shrinks test variance relative to training; the formula predicts by how much.
    expect(before.measured).to.be.below(0.95);
    expect(before.measured).to.be.closeTo(before.predicted, 0.03);
    expect(before.zeroMean).to.equal(0.5);
    // No noise before the measured BN: no shift at all.
    expect(after.measured).to.equal(1);
    // Uout's shift is far smaller, and predicted too.
    expect(uout.measured).to.be.above(before.measured);
    expect(uout.measured).to.be.closeTo(uout.predicted, 0.03);
    expect(uout.zeroMean).to.be.closeTo(1 / (1 + 0.25 / 3), 1e-3);
  });

  it('--seeds N --json: each row against the one that isolates one factor, Uout against the dropout of equal noise variance', async () => {
    const r = await report(['--limit', '128', '--test-limit', '100', '--width', '32', '--seeds', '2', '--seed-offset', '5']);
    expect(r.config).to.include({ width: 32, trainExamples: 128, testExamples: 100, split: 'test', seedOffset: 5 });
    expect(r.config).not.to.have.any.keys('validationSize', 'validationSeed');
    // The defaults: p = 0.5 (the paper's first figure) and a small β = 0.1, and p = 0.25 with the β of its noise variance.
    expect(r.config).to.deep.include({ p: [0.5, 0.25], beta: [0.1, 1], seeds: [5, 6] });
    expect(uoutBetaMatching(0.25)).to.equal(1);
    expect(r.placements.map((x) => [x.name, x.noiseVariance, x.comparedWith])).to.deep.equal([
      ['no noise', 0, null],
      ['dropout 0.5 before BN', 1, 'no noise'],
      ['dropout 0.5 after the last BN', 1, 'dropout 0.5 before BN'],
      ['dropout 0.25 before BN', 1 / 3, 'no noise'],
      ['dropout 0.25 after the last BN', 1 / 3, 'dropout 0.25 before BN'],
      ['Uout 0.1 before BN', (0.1 * 0.1) / 3, 'no noise'],
      ['Uout 1 before BN', 1 / 3, 'dropout 0.25 before BN'],
    ]);
    const byName = new Map(r.placements.map((x) => [x.name, x]));
    for (const x of r.placements) {
      expect(x.testAcc.values).to.have.length(2);
      if (x.comparedWith === null) continue;
      const control = byName.get(x.comparedWith)!.testAcc.values;
      expect(x.pValue, x.name).to.equal(welchTTest(x.testAcc.values, control).pValue);
    }
    expect(r.placements.map((x) => x.pAdjusted).slice(1)).to.deep.equal(holmAdjust(r.placements.slice(1).map((x) => x.pValue as number)));
    expect(byName.get('dropout 0.5 after the last BN')!.measured).to.equal(1);
    const table = varianceShiftTable(r).split('\n');
    expect(table[0]).to.match(/^\| variant \| noise variance c \|.+\| compared with \| Δ test \[95% CI\] \| p \| p \(Holm\) \|$/);
    expect(table[8]).to.match(/^\| Uout 1 before BN \| 0\.333 \|.+\| dropout 0\.25 before BN \| [+−][\d.]+ \[[+−][\d.]+, [+−][\d.]+\] \|/);
  });

  it('--split validation scores on images carved from the training set and never reads the test set; the page says so', async () => {
    const absent = join(tempDir(), 'no-such-file');
    const data = [...writeIndexedIdxSplit(tempDir(), 'train', 600), ...['--test-images', absent, '--test-labels', absent]];
    const args = [...data, '--limit', '64', '--width', '16', '--seeds', '2', '--p', '0.5', '--beta', '1', '--seed-offset', '100'];
    const io = bufferIO();
    const validation = [...args, '--split', 'validation', '--validation-size', '200', '--json'];
    expect(await runVarianceShift(parseFlags(varianceShiftSpec, validation), io)).to.equal(0);
    expect(io.stderr()).to.match(
      /^variance shift on IDX files: width 16, 2 seeds \(100 … 101\), 64 training \/ 200 validation examples, 1 epoch; the validation examples are drawn from the training set by seed 314159, and the test set is not read\n/,
    );
    expect(io.stderr().match(/seed 10[01]: ratio [\d.]+, validation accuracy [\d.]+%/g)).to.have.length(8);
    const r = JSON.parse(io.stdout()) as VarianceShiftReport;
    expect(r.config).to.deep.include({
      split: 'validation',
      seeds: [100, 101],
      seedOffset: 100,
      trainExamples: 64,
      testExamples: 0,
      validationSize: 200,
      validationSeed: validationSplitSeed,
    });
    for (const row of r.placements) for (const v of row.testAcc.values) expect(v * 200).to.be.closeTo(Math.round(v * 200), 1e-9);
    // The page says which split scored the runs, and which seeds ran.
    const out = join(tempDir(), 'shift.md');
    writeVarianceShiftPage(out, r, { command: 'dropgrad variance-shift', seeds: r.config.seeds, seconds: 1 });
    const page = readFileSync(out, 'utf8');
    expect(page)
      .to.contain(
        '(64 training, 200 validation images carved from the training set by seed 314159; the test set was not read, 1 epoch of Adam, seeds 100 … 101 (--seed-offset 100))',
      )
      .and.contain('| validation accuracy % (mean ± std, 2 seeds) | compared with | Δ validation [95% CI] |')
      .and.contain("Δ: mean validation accuracy minus the compared row's")
      .and.not.match(/test accuracy/);
    // The test split of the same flags reads the test files, which are absent.
    let message = '';
    await runVarianceShift(parseFlags(varianceShiftSpec, [...args, '--json']), bufferIO()).catch((e: Error) => (message = e.message));
    expect(message).to.contain(`cannot read ${absent}`);
  });

  it('--seed-offset K runs seeds K … K+N-1: the runs of seeds 1 and 2 of --seeds 3', async () => {
    const args = ['--limit', '128', '--test-limit', '100', '--width', '16', '--p', '0.5', '--beta', '1'];
    const three = await report([...args, '--seeds', '3']);
    const two = await report([...args, '--seeds', '2', '--seed-offset', '1']);
    expect(two.config).to.deep.include({ seeds: [1, 2], seedOffset: 1 });
    for (const [i, row] of two.placements.entries())
      expect(row.testAcc.values, row.name).to.deep.equal(three.placements[i].testAcc.values.slice(1));
  });

  it('refuses what does not fit the validation split, naming the flags, before reading data', async () => {
    const message = (args: string[]) =>
      runVarianceShift(parseFlags(varianceShiftSpec, ['--data', join(tempDir(), 'no-such-dir'), ...args]), bufferIO()).then(
        () => '',
        (e: Error) => `${e.name}: ${e.message}`,
      );
    expect(await message(['--validation-size', '100'])).to.equal(
      'UsageError: --validation-size 100: sizes the validation split; give it with --split validation',
    );
    expect(await message(['--split', 'validation', '--test-limit', '100', '--validation-size', '50'])).to.equal(
      "UsageError: --test-limit 100 with --split validation: the test set is not read; give the validation split's size as --validation-size alone",
    );
    expect(await message(['--split', 'val'])).to.equal('UsageError: --split: expected one of test, validation, got "val"');
  });

  it("a row's numbers come from its seed alone, whichever other rows run", async () => {
    const args = ['--limit', '128', '--test-limit', '100', '--width', '16', '--seeds', '2'];
    const all = await report([...args, '--p', '0.5,0.25', '--beta', '0.1,1']);
    const some = await report([...args, '--p', '0.25', '--beta', '1']);
    const values = (x: VarianceShiftReport, name: string) => x.placements.find((r) => r.name === name)?.testAcc.values;
    for (const name of ['no noise', 'dropout 0.25 before BN', 'Uout 1 before BN'])
      expect(values(some, name), name).to.deep.equal(values(all, name));
  });

  it('refuses a list with a repeated value or a value out of range, naming the flag', async () => {
    const io = bufferIO();
    const message = (args: string[]) =>
      runVarianceShift(parseFlags(varianceShiftSpec, args), io).then(
        () => '',
        (e: Error) => e.message,
      );
    expect(await message(['--p', '0.5,0.5'])).to.equal('--p: 0.5 is listed twice in "0.5,0.5"');
    expect(await message(['--beta', '0.1,1.5'])).to.equal('--beta: expected a number in [0, 1], got "1.5"');
    expect(await message(['--p', '0.5,'])).to.equal('--p: expected a number in [0, 0.99], got ""');
  });

  // test/fixtures/variance-shift-first-version.json: docs/results/data/variance-shift.json as the 28 Nov 2026 run stored it.
  it("reads the stored report of the first version (one p, one β, no model without noise) in today's form", () => {
    const record = JSON.parse(readFileSync('test/fixtures/variance-shift-first-version.json', 'utf8')) as ExperimentRecord;
    const stored = record.result as StoredVarianceShiftReport & { pBeforeVsAfter?: number };
    const current = currentVarianceShiftReport(stored);
    expect(current.config).to.deep.include({ p: [0.6], beta: [0.5] });
    expect(current.placements.map((x) => [x.name, x.kind, x.position, x.comparedWith])).to.deep.equal([
      ['dropout 0.6 before BN', 'dropout', 'before BN', null],
      ['dropout 0.6 after the last BN', 'dropout', 'after the last BN', 'dropout 0.6 before BN'],
      // Its noise variance (0.083) matches no dropout row's (1.5), and there is no model without noise.
      ['Uout 0.5 before BN', 'uout', 'before BN', null],
    ]);
    // The comparison it did make is recomputed from the stored values: the same p.
    expect(current.placements[1].pValue).to.be.closeTo(stored.pBeforeVsAfter as number, 1e-12);
    expect(currentVarianceShiftReport(current)).to.equal(current);
  });
});
