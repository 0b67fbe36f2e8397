import { expect } from 'chai';
import { parseFlags } from '../app/cli/args';
import { runVarianceShift, varianceShiftSpec } from '../app/cli/commands/variance-shift';
import type { VarianceShiftReport } from '../app/experiments/variance-shift/report';
import { bufferIO } from './helpers/buffer-io';

describe('dropgrad variance-shift', function () {
  this.timeout(120000);

  it('measures the shift at the BN after the noise and agrees with the formula', async () => {
    const io = bufferIO();
    const flags = parseFlags(varianceShiftSpec, ['--limit', '512', '--test-limit', '400', '--p', '0.5', '--beta', '0.5']);
    expect(await runVarianceShift(flags, io)).to.equal(0);
    const rows = [
      ...io.stdout().matchAll(/^(.+): Var_test\/Var_train measured ([\d.]+), predicted ([\d.]+), zero-mean formula ([\d.]+)/gm),
    ];
    const byName = new Map(rows.map((m) => [m[1], { measured: Number(m[2]), predicted: Number(m[3]), zeroMean: Number(m[4]) }]));
    const before = byName.get('dropout 0.5 before BN')!;
    const after = byName.get('dropout 0.5 after the last BN')!;
    const uout = byName.get('Uout 0.5 before BN')!;
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

  it('--seeds N --json: accuracy over seeds for each placement, Welch p-values, the ratios averaged', async () => {
    const io = bufferIO();
    const args = ['--limit', '128', '--test-limit', '100', '--width', '32', '--seeds', '2', '--seed', '5', '--json'];
    expect(await runVarianceShift(parseFlags(varianceShiftSpec, args), io)).to.equal(0);
    const report = JSON.parse(io.stdout()) as VarianceShiftReport;
    expect(report.config).to.include({ p: 0.5, width: 32, trainExamples: 128, testExamples: 100 });
    expect(report.config.seeds).to.deep.equal([5, 6]);
    expect(report.placements.map((r) => r.name)).to.deep.equal([
      'dropout 0.5 before BN',
      'dropout 0.5 after the last BN',
      'Uout 0.5 before BN',
    ]);
    for (const r of report.placements) expect(r.testAcc.values).to.have.length(2);
    expect(report.placements[1].measured).to.equal(1);
    expect(report.placements[0].measured).to.be.below(report.placements[2].measured);
    expect(report.pBeforeVsAfter).to.be.within(0, 1);
    expect(report.pUoutVsBefore).to.be.within(0, 1);
    expect(io.stderr()).to.contain('dropout 0.5 before BN, seed 6: ratio ');
  });
});
