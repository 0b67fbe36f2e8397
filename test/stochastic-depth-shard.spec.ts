import { expect } from 'chai';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseFlags } from '../app/cli/args';
import { runStochasticDepth, stochasticDepthSpec } from '../app/cli/commands/stochastic-depth';
import type { Environment } from '../app/cli/shard-flags';
import { type Shard, shardOfRun } from '../app/experiments/shard';
import { depthOutcome } from '../app/experiments/stochastic-depth/run';
import type { StochasticDepthReport } from '../app/experiments/stochastic-depth/report';
import type { DepthShardReport } from '../app/experiments/stochastic-depth/shard-report';
import type { DepthSeedResult } from '../app/experiments/stochastic-depth/seed-run';
import { bufferIO, runCli } from './helpers/buffer-io';
import { mnistDir, useTempDir } from './helpers/data-files';
import { threeShardProcesses } from './helpers/cli-child';
import { expectRefusedBeforeWork, mergeFiles } from './helpers/merge-files';

/** A few seconds of work: a ResNet-8 of widths 4/8/16, 64 MNIST images, 1 epoch, 40 test images. */
const tiny = (seeds: number): string[] => [
  ...['--data', mnistDir, '--blocks', '1', '--width', '4', '--seeds', String(seeds)],
  ...['--epochs', '1', '--limit', '64', '--test-limit', '40'],
];

/**
 * The report's text with the fields that are measured times blanked, and only those: each variant's
 * `secondsPerEpoch` (its runs' seconds per epoch) and what is computed from them alone, `timeSaving`
 * and `timePValue`. Blanked in the parsed report, so the rest is compared as printed.
 */
function withoutTimes(json: string): string {
  const report = JSON.parse(json) as Record<string, Record<string, unknown>>;
  expect(`${JSON.stringify(report, null, 2)}\n`, 'the report is printed as JSON.stringify prints it').to.equal(json);
  for (const variant of ['baseline', 'stochasticDepth']) report[variant].secondsPerEpoch = '(time)';
  const blanked = { ...report, timeSaving: '(time)', timePValue: '(time)' };
  return `${JSON.stringify(blanked, null, 2)}\n`;
}

// A made-up study (no training) for the merge's checks: 5 seeds.
const fakeConfig: DepthShardReport['config'] = {
  blocks: 1,
  widths: [4, 8, 16],
  pL: 0.5,
  convention: 'inverted',
  seeds: 5,
  epochs: 1,
  batchSize: 32,
  optimizer: 'adam',
  lr: 0.005,
  data: 'MNIST (fake)',
  trainExamples: 64,
  testExamples: 40,
  residualBlocks: 3,
  jobs: 1,
};
const fakeResult = (seed: number): DepthSeedResult => ({
  baseline: { testAcc: 0.5 + 0.01 * ((seed * 7) % 5), trainAcc: 0.6, secondsPerEpoch: 0.2 + 0.01 * seed, skipped: 0, branches: 6 },
  stochasticDepth: { testAcc: 0.52 + 0.01 * (seed % 3), trainAcc: 0.55, secondsPerEpoch: 0.15, skipped: seed % 4, branches: 6 },
});

function fakeShard(shard: Shard, config: DepthShardReport['config'] = fakeConfig): DepthShardReport {
  const seeds = Array.from({ length: config.seeds }, (_, seed) => seed);
  return {
    kind: 'stochastic-depth shard',
    shard,
    config,
    wallSeconds: shard.index,
    runs: seeds.filter((seed) => shardOfRun(seed, shard.count) === shard.index).map((seed) => ({ seed, result: fakeResult(seed) })),
  };
}

describe('stochastic-depth --shard I/N and dropgrad merge', function () {
  this.timeout(180000);
  const tempDir = useTempDir();

  const { files, mergeError } = mergeFiles(tempDir);

  it('3 shards as 3 processes (--shard 1/3, a Kubernetes Indexed Job pod, a Slurm array task), merged, print the single run byte for byte but for the times', async () => {
    const args = [...tiny(3), '--json'];
    const single = bufferIO();
    expect(await runStochasticDepth(parseFlags(stochasticDepthSpec, args), single)).to.equal(0);
    const shards = await Promise.all(threeShardProcesses(['stochastic-depth', ...args]));
    for (const [i, shard] of shards.entries()) {
      expect(shard.code, shard.stderr).to.equal(0);
      expect(shard.stderr).to.contain(`3 seeds per variant, 1 job, shard ${i + 1}/3: 1 of the 3 seeds\n`);
      expect(shard.stderr).to.match(new RegExp(`\\n {2}stochastic depth seed ${i}: [\\d.]+ s/epoch`));
    }
    const reports = shards.map((s) => JSON.parse(s.stdout) as DepthShardReport);
    expect(reports.map((r) => [r.kind, r.shard, r.runs.map((run) => run.seed)])).to.deep.equal([
      ['stochastic-depth shard', { index: 1, count: 3 }, [0]],
      ['stochastic-depth shard', { index: 2, count: 3 }, [1]],
      ['stochastic-depth shard', { index: 3, count: 3 }, [2]],
    ]);
    const paths = files({ 'c.json': shards[2].stdout, 'a.json': shards[0].stdout, 'b.json': shards[1].stdout });

    const merged = await runCli('merge', '--json', ...paths);
    expect(merged.code, merged.err).to.equal(0);
    expect(withoutTimes(merged.out)).to.equal(withoutTimes(single.stdout()));
    // The text compared holds what needs every seed: the accuracies' summaries and Welch's p over all of them.
    const report = JSON.parse(merged.out) as StochasticDepthReport;
    expect(report.baseline.testAcc.values).to.have.length(3);
    expect(report.accuracyPValue).to.be.within(0, 1);
    // The blanked fields are the shards' own times, put together as one run puts its seeds' together.
    const results = reports.map((r) => r.runs[0].result);
    for (const variant of ['baseline', 'stochasticDepth'] as const)
      expect(report[variant].secondsPerEpoch.values).to.deep.equal(results.map((r) => r[variant].secondsPerEpoch));
    expect(report.timeSaving).to.equal(1 - report.stochasticDepth.secondsPerEpoch.mean / report.baseline.secondsPerEpoch.mean);
    expect(merged.err).to.contain('| stochastic depth | p_L = 0.5, linear decay, batch mode, inverted convention |');

    // Without --json, the table on stdout; with --out, the page and its chart, as stochastic-depth writes them.
    const out = join(tempDir(), 'page', 'depth.md');
    mkdirSync(join(tempDir(), 'page'));
    const table = await runCli('merge', ...paths, '--out', out);
    expect(table.code, table.err).to.equal(0);
    expect(table.out).to.match(/\n\| baseline \| — \| [\d.]+ ± [\d.]+ \| 0\.0% \| [\d.]+ ± [\d.]+ \|/);
    expect(table.out).to.match(/\ntraining time per epoch: -?[\d.]+% lower with stochastic depth/);
    expect(table.out).to.contain(`wrote ${out} and depth-seconds.svg`);
    expect(readdirSync(join(tempDir(), 'page')).sort()).to.deep.equal(['depth-seconds.svg', 'depth.md']);
  });

  it('a shard without --json says that its seeds are a partial result; a shard past the last seed is empty', async () => {
    const io = bufferIO();
    const two = tiny(2);
    expect(await runStochasticDepth(parseFlags(stochasticDepthSpec, [...two, '--shard', '2/2']), io)).to.equal(0);
    expect(io.stdout()).to.match(/\n {2}baseline {9}seed 1: [\d.]+ s\/epoch/);
    expect(io.stdout()).to.contain(
      "\nShard 2/2: 1 of the study's 2 seeds, a partial result — no means over seeds, no time saving and no p-values. " +
        'Run every shard with --json and give the 2 reports to `dropgrad merge` for the table.\n',
    );
    expect(io.stdout()).not.to.contain('| variant |');

    const empty = bufferIO();
    expect(await runStochasticDepth(parseFlags(stochasticDepthSpec, [...two, '--shard', '3/3', '--json']), empty)).to.equal(0);
    const report = JSON.parse(empty.stdout()) as DepthShardReport;
    expect([report.kind, report.shard, report.runs]).to.deep.equal(['stochastic-depth shard', { index: 3, count: 3 }, []]);
  });

  it('merge gives the report of the whole study for shards given in any order and any N', async () => {
    const whole = depthOutcome(
      fakeConfig,
      Array.from({ length: fakeConfig.seeds }, (_, seed) => fakeResult(seed)),
    );
    for (const count of [1, 2, 5, 7]) {
      const paths = files(
        Object.fromEntries(Array.from({ length: count }, (_, i) => [`${count - i}.json`, fakeShard({ index: count - i, count })])),
      );
      const { code, out, err } = await runCli('merge', '--json', ...paths);
      expect(code, err).to.equal(0);
      expect(JSON.parse(out), `N = ${count}`).to.deep.equal(whole);
    }
  });

  it('refuses a bad merge by name: two studies, another N, a missing or duplicated slice, runs not of the slice, another kind', async () => {
    const third = (index: number, config = fakeConfig): DepthShardReport => fakeShard({ index, count: 3 }, config);
    const compareShard = {
      ...{ kind: 'compare shard', shard: { index: 2, count: 3 }, wallSeconds: 1, runs: [] },
      config: { seeds: 1, techniques: [{ technique: 'none', flags: {} }] },
    };
    const fromCommand = (command: string): string => `shards come from \`dropgrad ${command} --shard I/N --json\``;
    // Each case: the files given to `merge` (in that order), and its refusal.
    const cases: Array<[Record<string, unknown>, string]> = [
      [
        { 'a.json': third(1), 'b.json': third(2, { ...fakeConfig, epochs: 2 }), 'c.json': third(3) },
        'a.json and b.json are shards of different studies: their config.epochs differ (1 in a.json, 2 in b.json)',
      ],
      [
        { 'a.json': third(1), 'b.json': third(2, { ...fakeConfig, convention: 'paper' }), 'c.json': third(3) },
        'a.json and b.json are shards of different studies: their config.convention differ ("inverted" in a.json, "paper" in b.json)',
      ],
      [
        { 'a.json': third(1), 'b.json': fakeShard({ index: 2, count: 2 }) },
        'a.json is shard 1/3 and b.json is shard 2/2: the shards of one study are slices of the same N',
      ],
      [{ 'a.json': third(1), 'c.json': third(3) }, "shard 2/3 of a.json's study is missing: a merge needs all 3"],
      [
        { 'a.json': third(1), 'b.json': third(2), 'b-again.json': third(2), 'c.json': third(3) },
        'b.json and b-again.json are both shard 2/3',
      ],
      [
        { 'a.json': third(1), 'b.json': { ...third(2), runs: third(1).runs }, 'c.json': third(3) },
        'b.json does not hold the runs of shard 2/3 of its study: it has seed 0 where seed 1 belongs (run 1 of the slice)',
      ],
      [
        { 'a.json': { ...third(1), runs: third(1).runs.slice(0, 1) }, 'b.json': third(2), 'c.json': third(3) },
        'a.json does not hold the runs of shard 1/3 of its study: it has 1 run, the slice 2 (of 5 seeds)',
      ],
      // A compare shard among stochastic-depth shards, and the other way round.
      [
        { 'a.json': third(1), 'b.json': compareShard, 'c.json': third(3) },
        `b.json is not a stochastic-depth shard report (it is a "compare shard" report): ${fromCommand('stochastic-depth')}`,
      ],
      [
        { 'b.json': compareShard, 'a.json': third(1) },
        `a.json is not a compare shard report (it is a "stochastic-depth shard" report): ${fromCommand('compare')}`,
      ],
      [
        { 'whole.json': depthOutcome(fakeConfig, [fakeResult(0), fakeResult(1)]) },
        `whole.json is not a stochastic-depth shard report (it is the report of a whole study): ${fromCommand('stochastic-depth')}`,
      ],
    ];
    for (const [entries, expected] of cases) expect(await mergeError(files(entries))).to.equal(`dropgrad merge: ${expected}\n`);
  });

  it('refuses a shard report whose fields are not a study’s, naming the file and the field', async () => {
    const shard = fakeShard({ index: 1, count: 1 });
    const [run] = shard.runs;
    const cases: Array<[unknown, string]> = [
      [{ ...shard, config: { ...fakeConfig, seeds: 0 } }, 'x.json: config.seeds: expected an integer ≥ 1, got 0'],
      [{ ...shard, config: { ...fakeConfig, residualBlocks: 9 } }, 'x.json: config.residualBlocks: expected 3 × config.blocks = 3, got 9'],
      [{ ...shard, config: { ...fakeConfig, pL: 1.5 } }, 'x.json: config.pL: expected a number in [0, 1], got 1.5'],
      [{ ...shard, config: { ...fakeConfig, convention: 'other' } }, 'x.json: config.convention: expected inverted or paper, got "other"'],
      [{ ...shard, config: { ...fakeConfig, optimizer: 'rmsprop' } }, 'x.json: config.optimizer: expected adam or sgd, got "rmsprop"'],
      [{ ...shard, wallSeconds: -1 }, 'x.json: wallSeconds: expected a number ≥ 0, got -1'],
      [{ ...shard, runs: [{ ...run, seed: 'one' }] }, 'x.json: runs[0].seed: expected an integer ≥ 0, got "one"'],
      [
        { ...shard, runs: [{ ...run, result: { baseline: run.result.baseline } }] },
        'x.json: runs[0].result.stochasticDepth: expected an object { testAcc, trainAcc, secondsPerEpoch, skipped, branches }, got undefined',
      ],
      [
        { ...shard, runs: [{ ...run, result: { ...run.result, baseline: { ...run.result.baseline, testAcc: null } } }] },
        'x.json: runs[0].result.baseline.testAcc: expected a number, got null',
      ],
    ];
    for (const [content, expected] of cases)
      expect(await mergeError(files({ 'x.json': content })), expected).to.equal(`dropgrad merge: ${expected}\n`);
  });

  // The flags' own parsing (every refusal of --shard and --shards) is compare-shard.spec.ts's; this is the command's use of it.
  it('stochastic-depth refuses a bad --shard, and --out with a shard, before reading data or training', async () => {
    const cases: Array<[string[], Environment, string]> = [
      [['--shard', 'half'], {}, '--shard: expected I/N (slice I of N, 1 ≤ I ≤ N, e.g. 2/8) or auto, got "half"'],
      [
        ['--shard', '1/2', '--out', join(tempDir(), 'd.md')],
        {},
        '--out: shard 1/2 has a part of the seeds; the page comes from `dropgrad merge … --out',
      ],
    ];
    await expectRefusedBeforeWork(stochasticDepthSpec, (flags, io, env) => runStochasticDepth(flags, io, undefined, env), cases);
    expect((await runCli('stochastic-depth', '--shard-count', '2')).err).to.match(
      /^dropgrad: stochastic-depth: unknown flag --shard-count/,
    );
  });
});
