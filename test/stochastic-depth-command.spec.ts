import { join } from 'node:path';
import { expect } from 'chai';
import { parseFlags } from '../app/cli/args';
import { runStochasticDepth, stochasticDepthSpec } from '../app/cli/commands/stochastic-depth';
import type { StochasticDepthReport } from '../app/experiments/stochastic-depth/report';
import type { DepthShardReport } from '../app/experiments/stochastic-depth/shard-report';
import { mergeDepthShards } from '../app/experiments/stochastic-depth/merge';
import type { CliEntry } from '../app/experiments/process-pool';
import { bufferIO } from './helpers/buffer-io';

/** The CLI from its sources, as `--jobs N` forks it when run by tsx (this process is mocha). */
const sourceCli: CliEntry = { path: join(__dirname, '..', 'app', 'cli', 'main.ts'), execArgv: ['--require', require.resolve('tsx/cjs')] };

async function depthJson(args: string[], cli?: CliEntry): Promise<StochasticDepthReport> {
  const io = bufferIO();
  expect(await runStochasticDepth(parseFlags(stochasticDepthSpec, [...args, '--json']), io, cli)).to.equal(0);
  return JSON.parse(io.stdout()) as StochasticDepthReport;
}

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

  it('--jobs 2 runs the seeds in child processes and gives exactly the accuracies of --jobs 1', async () => {
    const args = ['--blocks', '1', '--width', '4', '--seeds', '3', '--epochs', '1', '--limit', '64', '--test-limit', '40'];
    const sgd = [...args, '--optimizer', 'sgd', '--lr', '0.1'];
    const one = await depthJson(sgd);
    const two = await depthJson([...sgd, '--jobs', '2'], sourceCli);
    expect([one.config.jobs, two.config.jobs]).to.deep.equal([1, 2]);
    expect(two.config.optimizer).to.equal('sgd');
    for (const variant of ['baseline', 'stochasticDepth'] as const) {
      expect(two[variant].testAcc.values).to.deep.equal(one[variant].testAcc.values);
      expect(two[variant].trainAcc.values).to.deep.equal(one[variant].trainAcc.values);
      expect(two[variant].skippedBranches).to.equal(one[variant].skippedBranches);
    }
    // The optimizer matters: Adam's runs from the same seeds end elsewhere.
    const adam = await depthJson(args);
    const accuracies = (r: StochasticDepthReport): number[] => [...r.baseline.testAcc.values, ...r.baseline.trainAcc.values];
    expect(accuracies(adam)).to.not.deep.equal(accuracies(one));
  });

  it('--seed-offset K runs seeds K … K+N-1: the runs of seeds 1 and 2 of --seeds 3, merged from shards too', async () => {
    const args = ['--blocks', '1', '--width', '4', '--epochs', '1', '--limit', '64', '--test-limit', '40'];
    const three = await depthJson([...args, '--seeds', '3']);
    const io = bufferIO();
    const two = [...args, '--seeds', '2', '--seed-offset', '1', '--json'];
    expect(await runStochasticDepth(parseFlags(stochasticDepthSpec, two), io)).to.equal(0);
    const report = JSON.parse(io.stdout()) as StochasticDepthReport;
    expect(io.stderr())
      .to.contain('2 seeds per variant (1 … 2), 1 job\n')
      .and.match(/\n {2}baseline {9}seed 2: /);
    expect(report.config).to.include({ seeds: 2, seedOffset: 1 });
    for (const variant of ['baseline', 'stochasticDepth'] as const)
      expect(report[variant].testAcc.values, variant).to.deep.equal(three[variant].testAcc.values.slice(1));
    // Its shards hold seeds 1 and 2, and merge into the same report.
    const shards = await Promise.all(
      ['1/2', '2/2'].map(async (shard) => {
        const part = bufferIO();
        expect(await runStochasticDepth(parseFlags(stochasticDepthSpec, [...two, '--shard', shard]), part)).to.equal(0);
        return JSON.parse(part.stdout()) as DepthShardReport;
      }),
    );
    expect(shards.map((s) => s.runs.map((run) => run.seed))).to.deep.equal([[1], [2]]);
    const merged = mergeDepthShards(shards.map((shardReport, i) => ({ file: `${i}.json`, report: shardReport }))).report;
    for (const variant of ['baseline', 'stochasticDepth'] as const)
      expect(merged[variant].testAcc.values, variant).to.deep.equal(report[variant].testAcc.values);
    expect(
      await runStochasticDepth(parseFlags(stochasticDepthSpec, [...args, '--seed-offset', '4294967294']), bufferIO()).catch(
        (e: Error) => e.message,
      ),
    ).to.equal('--seed-offset: expected an integer in [0, 4294967291], got "4294967294"');
  });
});
