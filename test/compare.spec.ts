import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../app/flags/usage-error';
import { parseFlags } from '../app/cli/args';
import { compareSpec, runCompare } from '../app/cli/commands/compare';
import { formatSettings, techniqueFlags, techniques } from '../app/experiments/compare/techniques';
import { applyPreset, presets } from '../app/experiments/compare/preset';
import { type CompareReport, compareRows } from '../app/experiments/compare/report';
import { compareCaption, formatCompareTable } from '../app/results/compare-page';
import { holmAdjust } from '../app/statistics/holm';
import { headlineTable } from '../app/results/index-page';
import { validationSplitSeed } from '../app/data/validation-split';
import type { CompareRunResult } from '../app/experiments/compare/run-task';
import { planExperiment } from '../app/setup/experiment';
import type { CliEntry } from '../app/experiments/process-pool';
import { bufferIO } from './helpers/buffer-io';
import { mnistDir, useTempDir, writeIndexedIdxSplit } from './helpers/data-files';

/** The CLI from its sources, as `--jobs N` forks it when run by tsx (this process is mocha). */
const sourceCli: CliEntry = { path: join(__dirname, '..', 'app', 'cli', 'main.ts'), execArgv: ['--require', require.resolve('tsx/cjs')] };

/** A few seconds of work: 64 MNIST images, 1 epoch, 100 test images. */
const tiny = ['--data', mnistDir, '--limit', '64', '--test-limit', '100', '--epochs', '1', '--batch-size', '32', '--seeds', '2'];

async function compareJson(args: string[], cli?: CliEntry): Promise<{ report: CompareReport; stderr: string }> {
  const io = bufferIO();
  expect(await runCompare(parseFlags(compareSpec, args), io, cli)).to.equal(0);
  return { report: JSON.parse(io.stdout()) as CompareReport, stderr: io.stderr() };
}

async function usageErrorOf(args: string[]): Promise<{ message: string; stdout: string }> {
  const io = bufferIO();
  let message = '';
  await runCompare(parseFlags(compareSpec, args), io).catch((e: Error) => (message = `${e.name}: ${e.message}`));
  return { message, stdout: io.stdout() };
}

const run = (testAccuracy: number, trainAccuracy = 1): CompareRunResult => ({
  testAccuracy,
  trainAccuracy,
  secondsPerEpoch: [1, 3],
  lossCurve: [1],
});

describe('dropgrad compare', function () {
  this.timeout(120000);
  const tempDir = useTempDir();

  it('trains each technique for each seed and writes the table, its caption and the SVG figures', async () => {
    const io = bufferIO();
    const out = join(tempDir(), 'report.md');
    expect(await runCompare(parseFlags(compareSpec, [...tiny, '--techniques', 'none,dropout', '--out', out]), io)).to.equal(0);
    expect(io.stdout().match(/seed \d: test accuracy [\d.]+%, train [\d.]+%/g)).to.have.length(4);
    const report = readFileSync(out, 'utf8');
    expect(report).to.match(/\| none \| — \| [\d.]+ ± [\d.]+ \| [\d.]+ ± [\d.]+ \| -?[\d.]+ \| [\d.]+ \| — \| baseline \| — \| — \|/);
    expect(report).to.match(
      /\| dropout \| --dropout 0\.5 \| [\d.]+ ± [\d.]+ \| [\d.]+ ± [\d.]+ \| -?[\d.]+ \| [\d.]+ \| [+−][\d.]+ \[[+−][\d.]+, [+−][\d.]+\] \| [<\d. ]+ \| (\*\*)?[<\d. ]+/,
    );
    expect(report).to.contain('Train accuracy: the final model in eval mode on its clean training subset (the first 64 images');
    expect(report)
      .to.contain("p: Welch's two-sided t-test")
      .and.contain("p (Holm): p adjusted by Holm–Bonferroni over the table's 1 comparison;");
    expect(readdirSync(tempDir()).sort()).to.deep.equal(['report-accuracy.svg', 'report-loss.svg', 'report.md']);
    const accuracy = readFileSync(join(tempDir(), 'report-accuracy.svg'), 'utf8');
    expect(accuracy.match(/<circle/g)).to.have.length(2);
    expect(accuracy).to.contain('stroke-dasharray'); // the baseline's line
    const loss = readFileSync(join(tempDir(), 'report-loss.svg'), 'utf8');
    expect(loss).to.contain('>dropout</text>');
    expect(loss.match(/<polyline/g)).to.have.length(2);
  });

  it('--json prints only the report on stdout: rows with fractions, p null for the baseline, and the config', async () => {
    const { report, stderr } = await compareJson([...tiny, '--techniques', 'none,dropout', '--json']);
    expect(stderr)
      .to.match(/^comparing 2 techniques × 2 seeds/)
      .and.match(/dropout +seed 1: test accuracy/);
    expect(report.rows.map((r) => Object.keys(r))).to.deep.equal(
      Array(2).fill([
        'technique',
        'settings',
        'testAcc',
        'trainAcc',
        'pValue',
        'pAdjusted',
        'ci95',
        'secondsPerEpoch',
        'gap',
        'baseline',
        'significance',
      ]),
    );
    const [none, dropout] = report.rows;
    expect([none.technique, none.settings, none.pValue, none.baseline]).to.deep.equal(['none', '—', null, null]);
    expect([dropout.technique, dropout.settings, dropout.baseline]).to.deep.equal(['dropout', '--dropout 0.5', 'none']);
    expect(dropout.pValue).to.be.a('number').within(0, 1);
    // One comparison: Holm's adjustment is the identity; the interval is around the difference of means.
    expect(dropout.pAdjusted).to.equal(dropout.pValue);
    expect([none.pAdjusted, none.ci95]).to.deep.equal([null, null]);
    const [low, high] = dropout.ci95 as [number, number];
    expect(dropout.testAcc.mean - none.testAcc.mean).to.be.within(low, high);
    for (const row of report.rows) {
      for (const summary of [row.testAcc, row.trainAcc]) {
        expect(Object.keys(summary)).to.deep.equal(['mean', 'std', 'values']);
        expect(summary.values).to.have.length(2);
        for (const v of summary.values) expect(v).to.be.within(0, 1);
        expect(summary.mean).to.be.closeTo((summary.values[0] + summary.values[1]) / 2, 1e-12);
      }
      expect(row.gap.values).to.deep.equal(row.trainAcc.values.map((t, i) => t - row.testAcc.values[i]));
      expect(row.secondsPerEpoch).to.be.above(0);
    }
    expect(report.config).to.deep.include({
      dataset: `MNIST (${mnistDir})`,
      preset: 'default',
      split: 'test',
      limit: 64,
      testLimit: 100,
      epochs: 1,
      seeds: 2,
      seedOffset: 0,
      batchSize: 32,
      lr: 0.002,
      schedule: 'cosine',
      jobs: 1,
    });
    expect(report.config).not.to.have.any.keys('validationSize', 'validationSeed');
  });

  it('--split validation scores on images carved from the training set and never reads the test set, with --jobs 2 too', async () => {
    const absent = join(tempDir(), 'no-such-file');
    const data = [...writeIndexedIdxSplit(tempDir(), 'train', 600), ...['--test-images', absent, '--test-labels', absent]];
    const args = [...data, '--limit', '64', '--epochs', '1', '--batch-size', '32', '--seeds', '2', '--techniques', 'none,dropout'];
    const validation = [...args, '--split', 'validation', '--validation-size', '200', '--json'];
    const { report, stderr } = await compareJson(validation);
    expect(stderr).to.match(
      /^comparing 2 techniques × 2 seeds on IDX files \(64 training \/ 200 validation examples, .*; the validation examples are drawn from the training set by seed 314159, and the test set is not read\n/,
    );
    expect(stderr.match(/seed \d: validation accuracy [\d.]+%/g)).to.have.length(4);
    expect(report.config).to.deep.include({
      split: 'validation',
      limit: 64,
      testLimit: 0,
      validationSize: 200,
      validationSeed: validationSplitSeed,
      seedOffset: 0,
    });
    for (const row of report.rows) for (const v of row.testAcc.values) expect(v * 200).to.be.closeTo(Math.round(v * 200), 1e-9);
    const two = (await compareJson([...validation, '--jobs', '2'], sourceCli)).report;
    const accuracies = (r: CompareReport): number[][] => r.rows.flatMap((row) => [row.testAcc.values, row.trainAcc.values]);
    expect(accuracies(two)).to.deep.equal(accuracies(report));
    // The pages say which split scored the runs.
    expect(formatCompareTable(report).split('\n')[0]).to.equal(
      '| technique | settings | validation acc. % | train acc. % | gap (points) | s / epoch | Δ validation vs baseline [95% CI] | p | p (Holm) | baseline |',
    );
    expect(compareCaption(report))
      .to.contain(
        'Validation accuracy: on 200 images carved from the training set by seed 314159, none of them trained on; the test set was not read.',
      )
      .and.contain("p: Welch's two-sided t-test of the seeds' validation accuracies");
    expect(headlineTable({ IDX: report }).split('\n')[0]).to.equal('| technique | IDX validation % | Δ [95% CI] | p | p (Holm) |');
    // The test split of the same flags reads the test files, which are absent.
    expect((await usageErrorOf([...args, '--json'])).message).to.contain(`cannot read ${absent}`);
  });

  it('--seed-offset K runs seeds K … K+N-1: the runs of seeds 1 and 2 of --seeds 3', async () => {
    const at = tiny.indexOf('--seeds');
    const args = [...tiny.slice(0, at), ...tiny.slice(at + 2), '--techniques', 'none', '--json'];
    const three = (await compareJson([...args, '--seeds', '3'])).report;
    const { report, stderr } = await compareJson([...args, '--seeds', '2', '--seed-offset', '1']);
    expect(stderr).to.match(/^comparing 1 techniques × 2 seeds \(1 … 2\) on/);
    expect(stderr.match(/seed (\d+): test/g)).to.deep.equal(['seed 1: test', 'seed 2: test']);
    expect(report.config.seedOffset).to.equal(1);
    expect(report.rows[0].testAcc.values).to.deep.equal(three.rows[0].testAcc.values.slice(1));
    expect(compareCaption(report)).to.contain('over 2 seeds (1 … 2).');
  });

  it('--preset overfit sets its values, each flag given on the command line wins, and the test set is whole', async () => {
    expect(applyPreset('overfit', {})).to.deep.include({
      limit: '250',
      'test-limit': undefined,
      seeds: '8',
      epochs: '32',
      schedule: 'cosine',
    });
    expect(applyPreset('overfit', { seeds: '2', 'test-limit': '100' })).to.deep.include({ seeds: '2', 'test-limit': '100', epochs: '32' });
    expect(applyPreset('default', {})).to.deep.include({ limit: '2000', 'test-limit': '2000', seeds: '3', epochs: '2' });
    const overfitTechniques = presets.overfit.techniques?.split(',');
    expect(overfitTechniques).to.include('dropblock-no-schedule').and.include('dropout-conv').and.have.length(11);
    expect(overfitTechniques).not.to.include('stochastic-depth');
    // --help describes the preset by its own values, so a changed seed count cannot leave it stale.
    expect(compareSpec.flags.preset.description).to.contain('250 training images fitted to 100% in 32 epochs, the full test set, 8 seeds');
    const { report } = await compareJson([
      '--preset',
      'overfit',
      '--data',
      mnistDir,
      '--limit',
      '32',
      '--epochs',
      '1',
      '--seeds',
      '1',
      '--techniques',
      'none',
      '--json',
    ]);
    expect(report.config).to.deep.include({ preset: 'overfit', limit: 32, testLimit: 10000, epochs: 1, seeds: 1, batchSize: 32 });
  });

  it('marks adjusted p < 0.05 with its direction, shows the interval and both p, and says when the baseline did not run', () => {
    const rows = compareRows([
      { technique: 'none', settings: '—', baseline: null, runs: [0.8, 0.81, 0.79].map((a) => run(a)) },
      { technique: 'better', settings: 's', baseline: 'none', runs: [0.9, 0.91, 0.89].map((a) => run(a)) },
      { technique: 'worse', settings: 's', baseline: 'none', runs: [0.7, 0.71, 0.69].map((a) => run(a)) },
      { technique: 'same', settings: 's', baseline: 'none', runs: [0.8, 0.83, 0.78].map((a) => run(a)) },
      { technique: 'raw-only', settings: 's', baseline: 'none', runs: [0.82, 0.83, 0.815].map((a) => run(a)) },
      { technique: 'orphan', settings: 's', baseline: 'absent', runs: [0.8, 0.81].map((a) => run(a)) },
      { technique: 'single', settings: 's', baseline: 'none', runs: [run(0.95)] },
    ]);
    expect(rows.map((r) => r.significance)).to.deep.equal([null, 'better', 'worse', null, null, null, null]);
    for (const i of [0, 5, 6]) expect([rows[i].pValue, rows[i].pAdjusted, rows[i].ci95]).to.deep.equal([null, null, null]);
    // The family is the four rows with a p: Holm's adjustment of exactly those.
    const tested = [1, 2, 3, 4].map((i) => rows[i]);
    expect(tested.map((r) => r.pAdjusted)).to.deep.equal(holmAdjust(tested.map((r) => r.pValue as number)));
    expect(rows[1].pValue).to.be.below(0.05);
    expect(rows[3].pValue).to.be.above(0.05);
    // Below 0.05 on its own, not once the family is accounted for: not significant.
    expect(rows[4].pValue).to.be.closeTo(0.0442, 1e-4);
    expect(rows[4].pAdjusted)
      .to.be.closeTo(2 * (rows[4].pValue as number), 1e-15)
      .and.above(0.05);
    // The interval is of the difference of means, around it, and clear of 0 where the raw p is below 0.05.
    for (const r of tested) {
      const [low, high] = r.ci95 as [number, number];
      expect(r.testAcc.mean - rows[0].testAcc.mean).to.be.within(low, high);
      expect(low > 0 || high < 0).to.equal((r.pValue as number) < 0.05);
    }
    expect(rows[1].gap.mean).to.be.closeTo(0.1, 1e-12);
    expect(rows[0].secondsPerEpoch).to.equal(2);
    const config = { dataset: 'd', preset: 'default', limit: 1, testLimit: 1, epochs: 1, seeds: 3, batchSize: 1, lr: 1 };
    const report = { rows, config: { ...config, optimizer: 'adam' as const, schedule: 'cosine', jobs: 1, wallSeconds: 1 } };
    const table = formatCompareTable(report);
    expect(table.split('\n')[0]).to.equal(
      '| technique | settings | test acc. % | train acc. % | gap (points) | s / epoch | Δ test vs baseline [95% CI] | p | p (Holm) | baseline |',
    );
    const line = (name: string): string => table.split('\n').find((l) => l.startsWith(`| ${name} |`)) ?? '';
    expect(line('none')).to.match(/\| — \| baseline \| — \| — \|$/);
    expect(line('better')).to.match(/\| \+10\.00 \[\+7\.73, \+12\.27\] \| < 0\.001 \| \*\*0\.001 better\*\* \| none \|$/);
    expect(line('worse')).to.match(/\| −10\.00 \[−12\.27, −7\.73\] \| < 0\.001 \| \*\*0\.001 worse\*\* \| none \|$/);
    expect(line('same')).to.match(/\| 0\.847 \| 0\.847 \| none \|$/);
    expect(line('raw-only')).to.match(/\| \+2\.17 \[\+0\.09, \+4\.24\] \| 0\.044 \| 0\.088 \| none \|$/);
    expect(line('orphan')).to.contain('| — | — (absent not run) | — | absent |');
    expect(line('single')).to.contain('| +15.00 | — (one seed) | — | none |');
    expect(compareCaption(report)).to.contain(
      "p (Holm): p adjusted by Holm–Bonferroni over the table's 4 comparisons; bold, with the direction, when below 0.05.",
    );
  });

  it('--jobs 2 runs in child processes and gives exactly the accuracies of --jobs 1', async () => {
    const args = [...tiny, '--techniques', 'none,dropblock,cutout', '--json'];
    const one = (await compareJson(args)).report;
    const two = (await compareJson([...args, '--jobs', '2'], sourceCli)).report;
    expect(two.config.jobs).to.equal(2);
    const accuracies = (r: CompareReport): number[][] => r.rows.flatMap((row) => [row.testAcc.values, row.trainAcc.values]);
    expect(accuracies(two)).to.deep.equal(accuracies(one));
    expect(new Set(accuracies(one).flat()).size, 'seeds and techniques differ').to.be.above(2);
  });

  it('--jobs N fails with the failing run and its message, and with a child that cannot start', async () => {
    let message = '';
    await runCompare(
      parseFlags(compareSpec, [...tiny, '--techniques', 'none', '--lr', '1e30', '--jobs', '2']),
      bufferIO(),
      sourceCli,
    ).catch((e: Error) => (message = e.message));
    expect(message).to.match(/^compare run none, seed [01]: train: the loss became NaN at batch \d+/);
    const missing: CliEntry = { path: join(tempDir(), 'no-cli.js'), execArgv: [] };
    await runCompare(parseFlags(compareSpec, [...tiny, '--techniques', 'none', '--jobs', '2']), bufferIO(), missing).catch(
      (e: Error) => (message = e.message),
    );
    expect(message).to.match(/^the worker running compare run none, seed [01] ended \(exit code 1\) without a result:\n/);
    expect(message).to.contain('Cannot find module');
  });

  it('refuses bad flags before reading data or training, naming the flag and the value', async () => {
    const missing = ['--data', join(tempDir(), 'no-such-dir')];
    const cases: Array<[string[], string]> = [
      [['--preset', 'fast'], 'UsageError: --preset: expected one of default, overfit, got "fast"'],
      [['--jobs', '0'], 'UsageError: --jobs: expected an integer in [1, 64], got "0"'],
      [['--schedule', 'linear'], 'UsageError: --schedule: expected one of cosine, constant, got "linear"'],
      [['--preset', 'overfit', '--seeds', 'five'], 'UsageError: --seeds: expected an integer in [1, ∞), got "five"'],
      [['--split', 'val'], 'UsageError: --split: expected one of test, validation, got "val"'],
      [['--validation-size', '100'], 'UsageError: --validation-size 100: sizes the validation split; give it with --split validation'],
      [
        ['--split', 'validation', '--test-limit', '100', '--validation-size', '50'],
        "UsageError: --test-limit 100 with --split validation: the test set is not read; give the validation split's size as --validation-size alone",
      ],
      [['--split', 'validation', '--validation-size', '0'], 'UsageError: --validation-size: expected an integer in [1, ∞), got "0"'],
      [['--split', 'validation', '--test-limit', '1.5'], 'UsageError: --test-limit: expected an integer in [1, ∞), got "1.5"'],
      [['--seed-offset', '-1'], `UsageError: --seed-offset: expected an integer in [0, ${2 ** 32 - 1 - 3}], got "-1"`],
      [
        ['--techniques', 'none,dropot'],
        `UsageError: --techniques: unknown technique "dropot"; expected some of ${Object.keys(techniques).join(', ')}`,
      ],
    ];
    for (const [args, expected] of cases) {
      const { message, stdout } = await usageErrorOf([...missing, ...args]);
      expect(message, args.join(' ')).to.equal(expected);
      expect(stdout, args.join(' ')).to.equal('');
    }
  });

  it('takes only its own technique names (toString, __proto__ ran as techniques) and refuses one listed twice', async () => {
    for (const name of ['toString', '__proto__', 'constructor']) {
      expect((await usageErrorOf(['--techniques', `none,${name}`])).message).to.equal(
        `UsageError: --techniques: unknown technique "${name}"; expected some of ${Object.keys(techniques).join(', ')}`,
      );
    }
    expect((await usageErrorOf(['--techniques', 'dropout,none,dropout'])).message).to.equal(
      'UsageError: --techniques: "dropout" is listed twice',
    );
  });

  it('a regularizer flag replaces that setting in the chosen techniques that use it, and only there', () => {
    const [none, dropblock, fixed, cutout] = techniqueFlags(['none', 'dropblock', 'dropblock-no-schedule', 'cutout'], {
      dropblock: '0.8:5',
      cutout: undefined,
    });
    expect([none, dropblock, fixed, cutout]).to.deep.equal([
      {},
      { dropblock: '0.8:5', 'dropblock-schedule': 'linear' },
      { dropblock: '0.8:5', 'dropblock-schedule': 'none' },
      techniques.cutout.flags,
    ]);
    expect(formatSettings(fixed)).to.equal('--dropblock 0.8:5 --dropblock-schedule none');
    expect(() => techniqueFlags(['none', 'dropout'], { cutout: '1:8' })).to.throw(
      UsageError,
      '--cutout 1:8: replaces the setting of cutout, and --techniques leaves it out',
    );
  });

  it("DropBlock without its schedule drops at 1 - KEEP from the first step; with it, from 0 up to the paper's target", () => {
    const fixed = planExperiment(techniques['dropblock-no-schedule'].flags);
    expect([fixed.regularizers.dropBlock?.p, fixed.dropBlockTarget, fixed.label]).to.deep.equal([
      1 - 0.9,
      null,
      'dropblock 0.9:5 (no schedule)',
    ]);
    const scheduled = planExperiment(techniques.dropblock.flags);
    expect([scheduled.regularizers.dropBlock?.p, scheduled.dropBlockTarget]).to.deep.equal([0, 0.9]);
    expect(() => planExperiment({ 'dropblock-schedule': 'none' })).to.throw(
      '--dropblock-schedule: "none" given without --dropblock KEEP:SIZE',
    );
    expect(() => planExperiment({ dropblock: '0.9:3', 'dropblock-schedule': 'step' })).to.throw(
      '--dropblock-schedule: expected one of linear, none, got "step"',
    );
  });
});
