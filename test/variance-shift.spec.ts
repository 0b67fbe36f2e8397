import { expect } from 'chai';
import { parseFlags } from '../app/cli/args';
import { runVarianceShift, varianceShiftSpec } from '../app/cli/commands/variance-shift';
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
});
