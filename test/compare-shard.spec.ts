import { expect } from 'chai';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseFlags } from '../app/cli/args';
import { UsageError } from '../app/flags/usage-error';
import { compareSpec, runCompare } from '../app/cli/commands/compare';
import { type Environment, parseShardFlags } from '../app/cli/shard-flags';
import { type Shard, shardOfRun, shardSize, shardTasks, unshard } from '../app/experiments/shard';
import { compareOutcome, compareRunOrder } from '../app/experiments/compare/run';
import type { CompareReport } from '../app/experiments/compare/report';
import type { CompareShardReport } from '../app/experiments/compare/shard-report';
import type { CompareRunResult } from '../app/experiments/compare/run-task';
import { readJsonFile } from '../app/serialization/json-file';
import { maxShardReportBytes } from '../app/experiments/shard-report-check';
import { bufferIO, runCli } from './helpers/buffer-io';
import { mnistDir, useTempDir, writeIndexedIdxSplit } from './helpers/data-files';
import { threeShardProcesses } from './helpers/cli-child';
import { expectRefusedBeforeWork, mergeFiles } from './helpers/merge-files';

/** A few seconds of work: 64 MNIST images, 1 epoch, 100 test images (as compare.spec.ts). */
const tiny = ['--data', mnistDir, '--limit', '64', '--test-limit', '100', '--epochs', '1', '--batch-size', '32', '--seeds', '2'];

/**
 * The report's text with its two wall-time fields blanked, and only those: `config.wallSeconds`
 * (the command's time) and each row's `secondsPerEpoch` (the runs' measured time per epoch).
 */
const withoutWallTimes = (json: string): string => json.replace(/"(wallSeconds|secondsPerEpoch)": [-+\d.e]+/g, '"$1": "(time)"');

// A made-up study (no training) for the merge's checks: none and dropout, 3 seeds, 6 runs.
const study = { names: ['none', 'dropout'], seeds: 3 };
const fakeResult = (k: number): CompareRunResult => ({
  testAccuracy: 0.8 + 0.01 * ((k * 7) % 5),
  trainAccuracy: 0.95 + 0.01 * (k % 3),
  secondsPerEpoch: [0.1 * (k + 1), 0.2],
  lossCurve: [2 - 0.1 * k, 1],
});
const fakeConfig = {
  dataset: 'MNIST (fake)',
  preset: 'default',
  split: 'test' as const,
  limit: 64,
  testLimit: 100,
  epochs: 1,
  seeds: study.seeds,
  seedOffset: 0,
  batchSize: 32,
  lr: 0.002,
  optimizer: 'adam' as const,
  schedule: 'cosine',
  jobs: 1,
  techniques: [
    { technique: 'none', flags: {} },
    { technique: 'dropout', flags: { dropout: '0.5' } },
  ],
};
const order = compareRunOrder(study.names, study.seeds, 0);

function fakeShard(shard: Shard, config: CompareShardReport['config'] = fakeConfig): CompareShardReport {
  return {
    kind: 'compare shard',
    shard,
    config,
    wallSeconds: shard.index,
    runs: order.flatMap((run, k) => (shardOfRun(k, shard.count) === shard.index ? [{ ...run, result: fakeResult(k) }] : [])),
  };
}

describe('compare --shard I/N and dropgrad merge', function () {
  this.timeout(180000);
  const tempDir = useTempDir();

  const { files, mergeError } = mergeFiles(tempDir);

  it('3 shards as 3 processes (--shard 1/3, a Kubernetes Indexed Job pod, a Slurm array task), merged, print the single run byte for byte but for wall times', async () => {
    const args = [...tiny, '--techniques', 'none,dropout,cutout,dropblock', '--json'];
    const single = bufferIO();
    expect(await runCompare(parseFlags(compareSpec, args), single)).to.equal(0);
    const shards = await Promise.all(threeShardProcesses(['compare', ...args]));
    for (const [i, shard] of shards.entries()) {
      expect(shard.code, shard.stderr).to.equal(0);
      expect(shard.stderr).to.contain(`shard ${i + 1}/3: ${i < 2 ? 3 : 2} of the 8 runs)`);
    }
    const reports = shards.map((s) => JSON.parse(s.stdout) as CompareShardReport);
    expect(reports.map((r) => r.runs.map((run) => `${run.technique} ${run.seed}`))).to.deep.equal([
      ['none 0', 'dropout 1', 'dropblock 0'],
      ['none 1', 'cutout 0', 'dropblock 1'],
      ['dropout 0', 'cutout 1'],
    ]);
    const paths = files({ 'c.json': shards[2].stdout, 'a.json': shards[0].stdout, 'b.json': shards[1].stdout });

    const merged = await runCli('merge', '--json', ...paths);
    expect(merged.code, merged.err).to.equal(0);
    expect(withoutWallTimes(merged.out)).to.equal(withoutWallTimes(single.stdout()));
    expect(withoutWallTimes(merged.out), 'the blanking leaves the rest').to.contain('"testAcc"');
    // The text compared holds each row's inference, computed over all the runs: raw p, Holm's p, the interval.
    const report = JSON.parse(merged.out) as CompareReport;
    for (const row of report.rows.filter((r) => r.baseline !== null)) {
      expect([row.pValue, row.pAdjusted, ...(row.ci95 ?? [])].every(Number.isFinite), row.technique).to.equal(true);
      expect(row.pAdjusted!).to.be.at.least(row.pValue!);
    }
    // The blanked fields are the shards' own times, put together as one run puts its runs' together.
    const runs = reports.flatMap((r) => r.runs);
    for (const row of report.rows) {
      const seconds = runs.filter((run) => run.technique === row.technique).flatMap((run) => run.result.secondsPerEpoch);
      expect(row.secondsPerEpoch).to.equal(seconds.reduce((a, b) => a + b, 0) / seconds.length);
    }
    expect(report.config.wallSeconds).to.equal(reports.reduce((a, r) => a + r.wallSeconds, 0));

    // Without --json, the table; with --out, the page and its figures, as compare writes them.
    const out = join(tempDir(), 'page', 'report.md');
    mkdirSync(join(tempDir(), 'page'));
    const table = await runCli('merge', ...paths, '--out', out);
    expect(table.code, table.err).to.equal(0);
    expect(table.out).to.match(/\n\| dropblock \| --dropblock 0\.9:5 --dropblock-schedule linear \| [\d.]+ ± [\d.]+ \|/);
    expect(table.out).to.contain('Accuracies are mean ± sample std over 2 seeds.');
    expect(readdirSync(join(tempDir(), 'page')).sort()).to.deep.equal(['report-accuracy.svg', 'report-loss.svg', 'report.md']);
  });

  it("--split validation with --seed-offset: the shards run the study's seeds, carry its split, and merge into the single run byte for byte", async () => {
    const absent = join(tempDir(), 'no-such-file');
    const data = [...writeIndexedIdxSplit(tempDir(), 'train', 600), ...['--test-images', absent, '--test-labels', absent]];
    const args = [
      ...data,
      ...['--limit', '64', '--epochs', '1', '--batch-size', '32', '--seeds', '2', '--techniques', 'none,dropout,cutout'],
      ...['--split', 'validation', '--validation-size', '200', '--seed-offset', '100', '--json'],
    ];
    const single = bufferIO();
    expect(await runCompare(parseFlags(compareSpec, args), single)).to.equal(0);
    const shards: string[] = [];
    for (const index of [1, 2, 3]) {
      const io = bufferIO();
      expect(await runCompare(parseFlags(compareSpec, [...args, '--shard', `${index}/3`]), io)).to.equal(0);
      expect(io.stderr()).to.match(
        /^comparing 3 techniques × 2 seeds \(100 … 101\) on IDX files \(64 training \/ 200 validation examples, .*, 1 job, shard \d\/3: 2 of the 6 runs\); the validation examples are drawn from the training set by seed 314159, and the test set is not read\n/,
      );
      expect(io.stderr().match(/seed 10[01]: validation accuracy [\d.]+%/g)).to.have.length(2);
      shards.push(io.stdout());
    }
    const reports = shards.map((text) => JSON.parse(text) as CompareShardReport);
    expect(reports.map((r) => r.runs.map((run) => `${run.technique} ${run.seed}`))).to.deep.equal([
      ['none 100', 'dropout 101'],
      ['none 101', 'cutout 100'],
      ['dropout 100', 'cutout 101'],
    ]);
    expect(reports[0].config).to.deep.include({ split: 'validation', testLimit: 0, validationSize: 200, seedOffset: 100 });
    const merged = await runCli('merge', '--json', ...files({ 'v3.json': shards[2], 'v1.json': shards[0], 'v2.json': shards[1] }));
    expect(merged.code, merged.err).to.equal(0);
    expect(withoutWallTimes(merged.out)).to.equal(withoutWallTimes(single.stdout()));
    expect(merged.out).to.contain('"split": "validation"').and.contain('"pAdjusted": ');
    // Without --json, a shard's runs and the merged table say which split scored them.
    const text = bufferIO();
    expect(await runCompare(parseFlags(compareSpec, [...args.filter((a) => a !== '--json'), '--shard', '1/3']), text)).to.equal(0);
    expect(text.stdout()).to.contain('| technique | seed | validation acc. % | train acc. % | s / epoch |\n');
    const table = await runCli('merge', ...files({ 'v1.json': shards[0], 'v2.json': shards[1], 'v3.json': shards[2] }));
    expect(table.out).to.contain('| validation acc. % |');
  });

  it('a shard without --json prints its runs and says that they are a partial result; a shard past the last run is empty', async () => {
    const io = bufferIO();
    expect(await runCompare(parseFlags(compareSpec, [...tiny, '--techniques', 'none', '--shard', '2/2']), io)).to.equal(0);
    const text = io.stdout();
    expect(text).to.match(/\n\| none \| 1 \| [\d.]+ \| [\d.]+ \| [\d.]+ \|\n/);
    expect(text).to.contain("Shard 2/2: 1 of the study's 2 runs, a partial result — no means over seeds and no p-values.");
    expect(text).not.to.contain('p vs baseline');

    const empty = bufferIO();
    expect(await runCompare(parseFlags(compareSpec, [...tiny, '--techniques', 'none', '--shard', '5/5', '--json']), empty)).to.equal(0);
    const report = JSON.parse(empty.stdout()) as CompareShardReport;
    expect([report.kind, report.shard, report.runs]).to.deep.equal(['compare shard', { index: 5, count: 5 }, []]);
  });

  it('merge gives the rows of the report function over all runs in order, for shards given in any order and any N', async () => {
    const whole = compareOutcome(
      new Map(fakeConfig.techniques.map((t) => [t.technique, t.flags])),
      study.seeds,
      order.map((_, k) => fakeResult(k)),
    );
    for (const count of [1, 2, 4, 6, 9]) {
      const paths = files(
        Object.fromEntries(Array.from({ length: count }, (_, i) => [`${count - i}.json`, fakeShard({ index: count - i, count })])),
      );
      const { code, out } = await runCli('merge', '--json', ...paths);
      expect(code, `N = ${count}`).to.equal(0);
      expect((JSON.parse(out) as CompareReport).rows, `N = ${count}`).to.deep.equal(whole.rows);
    }
  });

  it('slices: run k to shard (k mod N) + 1, every run in exactly one shard, and unshard puts them back', () => {
    const runs = Array.from({ length: 11 }, (_, k) => k);
    for (const count of [1, 2, 3, 11, 15]) {
      const slices = Array.from({ length: count }, (_, i) => shardTasks(runs, { index: i + 1, count }));
      expect(slices.flat().sort((a, b) => a - b)).to.deep.equal(runs);
      expect(unshard(slices, runs.length)).to.deep.equal(runs);
      expect(slices.map((_, i) => shardSize(runs.length, { index: i + 1, count }))).to.deep.equal(slices.map((slice) => slice.length));
    }
    expect(shardTasks(runs, { index: 2, count: 3 })).to.deep.equal([1, 4, 7, 10]);
  });

  it('refuses shards of two studies, naming both files and the field that differs', async () => {
    /** The refusal of slice 1/2 of a study with `a` as its config and slice 2/2 of one with `b`. */
    const twoStudies = (a: CompareShardReport['config'], b: CompareShardReport['config']): Promise<string> =>
      mergeError(files({ 'a.json': fakeShard({ index: 1, count: 2 }, a), 'b.json': fakeShard({ index: 2, count: 2 }, b) }));
    const differ = (field: string, a: string, b: string): string =>
      `dropgrad merge: a.json and b.json are shards of different studies: their ${field} differ (${a} in a.json, ${b} in b.json)\n`;
    expect(await twoStudies(fakeConfig, { ...fakeConfig, epochs: 2 })).to.equal(differ('config.epochs', '1', '2'));
    const [none] = fakeConfig.techniques;
    const weaker = { ...fakeConfig, techniques: [none, { technique: 'dropout', flags: { dropout: '0.3' } }] };
    expect(await twoStudies(fakeConfig, weaker)).to.equal(differ('config.techniques[1].flags.dropout', '"0.5"', '"0.3"'));
    const { jobs: _, ...withoutJobs } = fakeConfig;
    expect(await twoStudies(fakeConfig, withoutJobs as typeof fakeConfig)).to.equal(differ('config.jobs', '1', 'nothing'));
    // A validation study (a probe) and a test study of the same flags are two studies, as are two seed offsets.
    const probe = { ...fakeConfig, split: 'validation' as const, testLimit: 0, validationSize: 100, validationSeed: 314159 };
    expect(await twoStudies(fakeConfig, probe)).to.equal(differ('config.split', '"test"', '"validation"'));
    expect(await twoStudies(fakeConfig, { ...fakeConfig, seedOffset: 100 })).to.equal(differ('config.seedOffset', '0', '100'));
    expect(await mergeError(files({ 'a.json': fakeShard({ index: 1, count: 2 }), 'b.json': fakeShard({ index: 2, count: 3 }) }))).to.equal(
      'dropgrad merge: a.json is shard 1/2 and b.json is shard 2/3: the shards of one study are slices of the same N\n',
    );
  });

  it('refuses a missing or a duplicated slice, and a shard that does not hold its slice’s runs', async () => {
    const third = (index: number): CompareShardReport => fakeShard({ index, count: 3 });
    expect(await mergeError(files({ 'a.json': third(1), 'c.json': third(3) }))).to.equal(
      "dropgrad merge: shard 2/3 of a.json's study is missing: a merge needs all 3\n",
    );
    expect(await mergeError(files({ 'a.json': fakeShard({ index: 1, count: 4 }) }))).to.equal(
      "dropgrad merge: shards 2/4, 3/4, 4/4 of a.json's study are missing: a merge needs all 4\n",
    );
    expect(await mergeError(files({ 'a.json': third(1), 'b.json': third(2), 'a-again.json': third(1), 'c.json': third(3) }))).to.equal(
      'dropgrad merge: a.json and a-again.json are both shard 1/3\n',
    );
    const swapped = { ...third(2), runs: third(3).runs };
    expect(await mergeError(files({ 'a.json': third(1), 'b.json': swapped, 'c.json': third(3) }))).to.equal(
      'dropgrad merge: b.json does not hold the runs of shard 2/3 of its study: it has none seed 2 where none seed 1 belongs (run 1 of the slice)\n',
    );
    const short = { ...third(2), runs: third(2).runs.slice(0, 1) };
    expect(await mergeError(files({ 'a.json': third(1), 'b.json': short, 'c.json': third(3) }))).to.equal(
      'dropgrad merge: b.json does not hold the runs of shard 2/3 of its study: it has 1 run, the slice 2 (of 2 techniques × 3 seeds)\n',
    );
    const long = { ...third(2), runs: [...third(2).runs, third(3).runs[0]] };
    expect(await mergeError(files({ 'a.json': third(1), 'b.json': long, 'c.json': third(3) }))).to.equal(
      'dropgrad merge: b.json does not hold the runs of shard 2/3 of its study: it has 3 runs, the slice 2 (of 2 techniques × 3 seeds)\n',
    );
    // The runs' seeds are the study's: seeds 0 … 2 do not make a study whose seeds start at 100.
    const later = { ...fakeConfig, seedOffset: 100 };
    expect(await mergeError(files({ 'a.json': fakeShard({ index: 1, count: 1 }, later) }))).to.equal(
      'dropgrad merge: a.json does not hold the runs of shard 1/1 of its study: it has none seed 0 where none seed 100 belongs (run 1 of the slice)\n',
    );
    // Counted before the runs are listed: a config's seeds cannot make the merge build a list of 10^15 runs.
    expect(await mergeError(files({ 'a.json': fakeShard({ index: 1, count: 1 }, { ...fakeConfig, seeds: 1e15 }) }))).to.equal(
      'dropgrad merge: a.json does not hold the runs of shard 1/1 of its study: it has 6 runs, the slice 2000000000000000 (of 2 techniques × 1000000000000000 seeds)\n',
    );
  });

  it('refuses a file that is not a shard report, naming it (and the field), and reads no file past its size limit', async () => {
    const whole = { rows: [], config: { ...fakeConfig, wallSeconds: 1 } };
    const shard = fakeShard({ index: 1, count: 1 });
    const cases: Array<[unknown, string]> = [
      [
        whole,
        'x.json is not a compare shard report (it is the report of a whole study): shards come from `dropgrad compare --shard I/N --json`',
      ],
      [
        {},
        'x.json is not a compare shard report (it has no "kind": "compare shard"): shards come from `dropgrad compare --shard I/N --json`',
      ],
      [
        [1, 2],
        'x.json is not a compare shard report (it has no "kind": "compare shard"): shards come from `dropgrad compare --shard I/N --json`',
      ],
      [
        { ...shard, shard: { index: 2, count: 1 } },
        'x.json: shard: expected an object { index, count } with 1 ≤ index ≤ count, got {"index":2,"count":1}',
      ],
      [{ ...shard, config: { ...fakeConfig, seeds: 0 } }, 'x.json: config.seeds: expected an integer ≥ 1, got 0'],
      [{ ...shard, config: { ...fakeConfig, seedOffset: '100' } }, 'x.json: config.seedOffset: expected an integer ≥ 0, got "100"'],
      [
        { ...shard, config: { ...fakeConfig, techniques: [{ technique: 'toString', flags: {} }] } },
        `x.json: config.techniques[0].technique: expected one of none, dropout, dropout2d, dropout-conv, gaussian, uout, dropconnect, dropblock, dropblock-no-schedule, cutout, random-erasing, resnet (none), stochastic-depth, got "toString"`,
      ],
      [{ ...shard, wallSeconds: '3' }, 'x.json: wallSeconds: expected a number ≥ 0, got "3"'],
      [
        { ...shard, runs: [{ ...shard.runs[0], result: { ...shard.runs[0].result, testAccuracy: null } }] },
        'x.json: runs[0].result.testAccuracy: expected a number, got null',
      ],
      ['{"kind": "compare shard",', 'readJsonFile: x.json is not JSON:'],
      ['{"kind": "compare shard", "kind": "compare shard"}', 'readJsonFile: x.json gives the key "kind" twice in its top-level object'],
    ];
    for (const [content, expected] of cases)
      expect(await mergeError(files({ 'x.json': content })), expected).to.contain(`dropgrad merge: ${expected}`);
    expect(await mergeError([join(tempDir(), 'absent.json')])).to.match(/^dropgrad merge: readJsonFile: cannot read absent\.json: ENOENT/);
    expect(await mergeError([tempDir()])).to.contain('is a directory, expected a regular file');

    const [path] = files({ 'big.json': shard });
    expect(() => readJsonFile(path, 100)).to.throw(
      /^readJsonFile: .*big\.json holds \d+ bytes, more than the 100 a file of this kind may have$/,
    );
    expect(readJsonFile(path, maxShardReportBytes)).to.deep.equal(shard);
    expect((await runCli('merge')).err).to.equal('dropgrad: merge: expected the shard reports to merge (SHARD.json…), got none\n');
    // A bad --out is refused before any shard is read (this one does not exist).
    expect((await runCli('merge', join(tempDir(), 'absent.json'), '--out', join(tempDir(), 'no-dir', 'r.md'))).err).to.equal(
      `dropgrad: --out: cannot write ${JSON.stringify(join(tempDir(), 'no-dir', 'r.md'))}: the directory ${join(tempDir(), 'no-dir')} does not exist\n`,
    );
  });

  describe('--shard and --shards', () => {
    const parse = (flags: Record<string, string>, env: Environment = {}): Shard | undefined => parseShardFlags(flags, env);
    const refusal = (flags: Record<string, string>, env: Environment = {}): string => {
      try {
        parseShardFlags(flags, env);
      } catch (error) {
        expect(error).to.be.instanceOf(UsageError);
        return (error as Error).message;
      }
      return 'no error';
    };
    const slurm = (id: string, min = '0', count = '4'): Environment => ({
      SLURM_ARRAY_TASK_ID: id,
      SLURM_ARRAY_TASK_MIN: min,
      SLURM_ARRAY_TASK_COUNT: count,
    });

    it('I/N: 1-based, I in [1, N]', () => {
      expect(parse({})).to.equal(undefined);
      expect(parse({ shard: '2/8' })).to.deep.equal({ index: 2, count: 8 });
      expect(parse({ shard: '1/1' })).to.deep.equal({ index: 1, count: 1 });
      expect(refusal({ shard: '0/3' })).to.equal('--shard (I): expected an integer in [1, 3], got "0"');
      expect(refusal({ shard: '4/3' })).to.equal('--shard (I): expected an integer in [1, 3], got "4"');
      expect(refusal({ shard: '1/0' })).to.equal('--shard (N): expected an integer in [1, ∞), got "0"');
      expect(refusal({ shard: '1.5/3' })).to.equal('--shard (I): expected an integer in [1, 3], got "1.5"');
      for (const value of ['2', '1/2/3', 'all', ''])
        expect(refusal({ shard: value })).to.equal(
          `--shard: expected I/N (slice I of N, 1 ≤ I ≤ N, e.g. 2/8) or auto, got ${JSON.stringify(value)}`,
        );
      expect(refusal({ shards: '3' })).to.equal(
        '--shards 3: only with --shard auto (in a Kubernetes Indexed Job); without --shard the whole study runs',
      );
      expect(refusal({ shard: '1/3', shards: '3' })).to.equal(
        '--shards 3: only with --shard auto (in a Kubernetes Indexed Job); --shard I/N gives the count N itself',
      );
      expect(refusal({ shard: 'auto', shards: '0' })).to.equal('--shards: expected an integer in [1, ∞), got "0"');
    });

    it('auto in a Kubernetes Indexed Job: JOB_COMPLETION_INDEX (0-based) with the count from --shards', () => {
      expect(parse({ shard: 'auto', shards: '3' }, { JOB_COMPLETION_INDEX: '0' })).to.deep.equal({ index: 1, count: 3 });
      expect(parse({ shard: 'auto', shards: '3' }, { JOB_COMPLETION_INDEX: '2' })).to.deep.equal({ index: 3, count: 3 });
      expect(refusal({ shard: 'auto' }, { JOB_COMPLETION_INDEX: '2' })).to.equal(
        "--shard auto: JOB_COMPLETION_INDEX=2 says this is pod 2 of a Kubernetes Indexed Job, which is not told how many there are: give --shards N (the Job's completions)",
      );
      expect(refusal({ shard: 'auto', shards: '3' }, { JOB_COMPLETION_INDEX: '3' })).to.equal(
        '--shard auto: JOB_COMPLETION_INDEX=3 is out of range for --shards 3 (expected 0 … 2)',
      );
      for (const value of ['-1', '1.0', ' 1', '', 'one', '1e3'])
        expect(refusal({ shard: 'auto', shards: '3' }, { JOB_COMPLETION_INDEX: value })).to.equal(
          `--shard auto: JOB_COMPLETION_INDEX: expected an integer ≥ 0, got ${JSON.stringify(value)}`,
        );
    });

    it('auto in a Slurm job array: SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT', () => {
      expect(parse({ shard: 'auto' }, slurm('0'))).to.deep.equal({ index: 1, count: 4 });
      expect(parse({ shard: 'auto' }, slurm('8', '5'))).to.deep.equal({ index: 4, count: 4 });
      expect(parse({ shard: 'auto', shards: '4' }, slurm('6', '5'))).to.deep.equal({ index: 2, count: 4 });
      expect(parse({ shard: 'auto' }, { ...slurm('1'), SLURM_ARRAY_TASK_STEP: '1' })).to.deep.equal({ index: 2, count: 4 });
      expect(refusal({ shard: 'auto', shards: '3' }, slurm('1'))).to.equal(
        '--shards 3 conflicts with SLURM_ARRAY_TASK_COUNT=4: leave --shards out in a Slurm job array',
      );
      expect(refusal({ shard: 'auto' }, slurm('9', '5'))).to.equal(
        '--shard auto: SLURM_ARRAY_TASK_ID=9 − SLURM_ARRAY_TASK_MIN=5 = 4 is out of range for SLURM_ARRAY_TASK_COUNT=4 (expected 0 … 3): ' +
          'the array must be one contiguous range (e.g. --array=0-3)',
      );
      expect(refusal({ shard: 'auto' }, slurm('4', '5'))).to.contain('= -1 is out of range');
      expect(refusal({ shard: 'auto' }, { ...slurm('2'), SLURM_ARRAY_TASK_STEP: '2' })).to.equal(
        '--shard auto: SLURM_ARRAY_TASK_STEP=2: the array must be one range with step 1 (e.g. --array=0-3)',
      );
      expect(refusal({ shard: 'auto' }, { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_MIN: '0' })).to.equal(
        '--shard auto: SLURM_ARRAY_TASK_COUNT is not set, yet a Slurm job array sets it',
      );
      expect(refusal({ shard: 'auto' }, slurm('1', '0', '0'))).to.equal(
        '--shard auto: SLURM_ARRAY_TASK_COUNT=0: expected at least one task',
      );
      expect(refusal({ shard: 'auto' }, slurm('x'))).to.equal('--shard auto: SLURM_ARRAY_TASK_ID: expected an integer ≥ 0, got "x"');
    });

    it('auto with neither scheduler, or both, is refused', () => {
      expect(refusal({ shard: 'auto' }, { PATH: '/bin' })).to.equal(
        '--shard auto: neither JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) nor SLURM_ARRAY_TASK_ID (a Slurm job array) is set in the environment; give --shard I/N instead',
      );
      expect(refusal({ shard: 'auto', shards: '4' }, { JOB_COMPLETION_INDEX: '1', ...slurm('1') })).to.equal(
        '--shard auto: both JOB_COMPLETION_INDEX=1 (a Kubernetes Indexed Job) and SLURM_ARRAY_TASK_ID=1 (a Slurm job array) are set; ' +
          'unset the one that does not apply, or give --shard I/N',
      );
    });

    it('compare refuses them, and --out with a shard, before reading data or training', async () => {
      const cases: Array<[string[], Environment, string]> = [
        [['--shard', '0/2'], {}, '--shard (I): expected an integer in [1, 2], got "0"'],
        [['--shards', '2'], {}, '--shards 2: only with --shard auto (in a Kubernetes Indexed Job); without --shard the whole study runs'],
        [['--shard', 'auto'], {}, '--shard auto: neither JOB_COMPLETION_INDEX'],
        [['--shard', 'auto'], { JOB_COMPLETION_INDEX: '0' }, '--shard auto: JOB_COMPLETION_INDEX=0 says this is pod 0'],
        [
          ['--shard', '1/2', '--out', join(tempDir(), 'r.md')],
          {},
          '--out: shard 1/2 has a part of the runs; the page comes from `dropgrad merge … --out',
        ],
      ];
      await expectRefusedBeforeWork(compareSpec, (flags, io, env) => runCompare(flags, io, undefined, env), cases);
    });
  });
});
