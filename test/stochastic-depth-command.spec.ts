import { expect } from 'chai';
import { parseFlags } from '../app/cli/args';
import { type StochasticDepthReport, runStochasticDepth, stochasticDepthSpec } from '../app/cli/commands/stochastic-depth';
import { bufferIO } from './helpers/buffer-io';

describe('dropgrad stochastic-depth', function () {
  this.timeout(120000);

  it('--json: both variants over the seeds, the skipped share against (1 − p_L)(L + 1)/(2L), progress on stderr', async () => {
    const io = bufferIO();
    const args = ['--blocks', '1', '--width', '4', '--seeds', '2', '--epochs', '1', '--limit', '96', '--test-limit', '50', '--json'];
    expect(await runStochasticDepth(parseFlags(stochasticDepthSpec, args), io)).to.equal(0);
    const report = JSON.parse(io.stdout()) as StochasticDepthReport;
    expect(report.config).to.include({ blocks: 1, residualBlocks: 3, seeds: 2, trainExamples: 96, testExamples: 50 });
    expect(report.expectedSkipped).to.be.closeTo((0.5 * 4) / 6, 1e-12);
    expect(report.baseline.skippedBranches).to.equal(0);
    // 2 batches × 3 blocks × 2 seeds = 12 draws with survival 0.83, 0.67, 0.5: some skipped, not all.
    expect(report.stochasticDepth.skippedBranches).to.be.above(0).and.below(1);
    for (const v of [report.baseline, report.stochasticDepth]) {
      expect(v.testAcc.values).to.have.length(2);
      expect(v.secondsPerEpoch.values.every((s) => s > 0)).to.equal(true);
    }
    expect(report.timeSaving).to.be.closeTo(1 - report.stochasticDepth.secondsPerEpoch.mean / report.baseline.secondsPerEpoch.mean, 1e-12);
    expect(report.accuracyPValue).to.be.within(0, 1);
    expect(io.stderr()).to.match(/^ResNet-8 \(3 × 1 basic blocks, widths 4\/8\/16\)/);
    expect(io.stderr()).to.match(/ {2}stochastic depth seed 1: [\d.]+ s\/epoch/);
  });
});
