import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './helpers/buffer-io';
import { useTempDir, writeMnistLayout } from './helpers/data-files';
import { formatConfusion } from '../app/cli/commands/eval';
import { fashionMnistClassNames } from '../app/data/dataset';
import { getNumThreads, setNumThreads } from '../kernels/wasm/thread-count';
import { getBackend, setBackend } from '../kernels/backend';
import { expectedWasmSimd } from './helpers/wasm-modules';

const run = runCli;

describe('dropgrad CLI', () => {
  const tempDir = useTempDir();

  it('lists the commands, and each has --help', async () => {
    const overview = await run('--help');
    expect(overview.code).to.equal(0);
    for (const name of ['train', 'eval', 'gradcheck', 'compare', 'merge', 'variance-shift', 'visualize', 'stochastic-depth']) {
      expect(overview.out).to.contain(name);
      const help = await run(name, '--help');
      expect(help.code, name).to.equal(0);
      expect(help.out).to.contain(`Usage: dropgrad ${name} [flags]`);
    }
  });

  it('rejects unknown commands, unknown flags and bad values, saying what was expected', async () => {
    expect(await run('fly')).to.include({
      code: 2,
      err: 'dropgrad: unknown command "fly"; expected one of train, eval, gradcheck, compare, merge, variance-shift, visualize, stochastic-depth\n',
    });
    const unknown = await run('train', '--dropuot', '0.5');
    expect(unknown.code).to.equal(2);
    expect(unknown.err).to.contain('train: unknown flag --dropuot; expected one of --model').and.contain('--dropout');
    expect((await run('train', '--dropout', '1.5')).err).to.equal('dropgrad: --dropout: expected a number in [0, 1], got "1.5"\n');
    expect((await run('train', '--dropblock', '0.9')).err).to.equal('dropgrad: --dropblock: expected KEEP:SIZE, got "0.9"\n');
    expect((await run('train', '--model', 'vgg')).err).to.equal(
      'dropgrad: --model: expected one of small-cnn, resnet, resnet-small, got "vgg"\n',
    );
    expect((await run('train', '--stochastic-depth', '0.5')).err).to.contain('needs --model resnet');
    expect((await run('eval')).err).to.contain('--load FILE is required');
  });

  it('trains end to end on a tiny MNIST subset, saves, evaluates and resumes', async () => {
    const checkpoint = join(tempDir(), 'model.safetensors');
    const common = ['--limit', '128', '--test-limit', '100', '--batch-size', '32', '--dropout', '0.2', '--cutout', '1:6'];
    const trained = await run('train', ...common, '--save', checkpoint);
    expect(trained.code, trained.err).to.equal(0);
    expect(trained.out).to.match(/epoch 1\/1: train loss [\d.]+, train acc [\d.]+%, test loss [\d.]+, test acc [\d.]+%/);
    expect(trained.out).to.contain('regularizers: dropout 0.2, cutout 1:6');
    expect(existsSync(checkpoint)).to.equal(true);

    const evaluated = await run('eval', '--load', checkpoint, '--test-limit', '100');
    expect(evaluated.code, evaluated.err).to.equal(0);
    expect(evaluated.out)
      .to.match(/accuracy [\d.]+% \(100 examples\)/)
      .and.contain('true\\pred');

    const resumed = await run('train', ...common, '--epochs', '2', '--resume', checkpoint);
    expect(resumed.code, resumed.err).to.equal(0);
    expect(resumed.out).to.contain('resumed from').and.contain('epoch 2/2:').and.not.contain('epoch 1/2:');
  });

  it('formats the confusion matrix with the class numbers, and the class names on the rows when they say more', () => {
    const confusion = [
      [12, 0, 3],
      [1, 1000, 0],
      [0, 7, 5],
    ];
    expect(formatConfusion(confusion)).to.equal(
      ['true\\pred    0    1    2', '        0   12    0    3', '        1    1 1000    0', '        2    0    7    5'].join('\n'),
    );
    expect(formatConfusion(confusion, ['0', '1', '2'])).to.equal(formatConfusion(confusion));
    expect(formatConfusion(confusion, fashionMnistClassNames.slice(7))).to.equal(
      ['true\\pred       0    1    2', '0 Sneaker      12    0    3', '1 Bag           1 1000    0', '2 Ankle boot    0    7    5'].join(
        '\n',
      ),
    );
  });

  it('--dataset fashion-mnist --data DIR: trains, and eval labels the confusion rows with the class names', async () => {
    const dir = writeMnistLayout(tempDir(), 20);
    const checkpoint = join(tempDir(), 'fashion.safetensors');
    const data = ['--dataset', 'fashion-mnist', '--data', dir];
    const trained = await run('train', ...data, '--batch-size', '10', '--save', checkpoint);
    expect(trained.code, trained.err).to.equal(0);
    expect(trained.out).to.contain(`on Fashion-MNIST (${dir}): 20 examples`);
    const evaluated = await run('eval', '--load', checkpoint, ...data);
    expect(evaluated.code, evaluated.err).to.equal(0);
    expect(evaluated.out).to.contain(`on Fashion-MNIST (${dir}) test set: accuracy`);
    const table = evaluated.out.slice(evaluated.out.indexOf('true\\pred')).trimEnd().split('\n');
    // 13 characters of row labels ('0 T-shirt/top' is the longest), then ten 5-character columns.
    expect(table[0]).to.equal(`${'true\\pred'.padEnd(13)}${[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => String(k).padStart(5)).join('')}`);
    expect(table.slice(1).map((row) => row.slice(0, 13))).to.deep.equal(fashionMnistClassNames.map((name, k) => `${k} ${name}`.padEnd(13)));
    // Each row counts its class's test images: two of each.
    const rowSums = table.slice(1).map((row) =>
      row
        .slice(13)
        .trim()
        .split(/ +/)
        .map(Number)
        .reduce((a, b) => a + b),
    );
    expect(rowSums).to.deep.equal(new Array(10).fill(2));
    // Without data flags, eval takes the checkpoint's own --dataset and --data: Fashion-MNIST from DIR.
    const own = await run('eval', '--load', checkpoint, '--test-limit', '20');
    expect(own).to.include({ code: 0, err: '' });
    expect(own.out).to.contain(`on Fashion-MNIST (${dir}) test set: accuracy`).and.contain('(20 examples)');
  });

  it("train --threads N sets the wasm kernels' threads and says what runs; --threads 0 is refused before any work", async () => {
    const [previous, backend] = [getNumThreads(), getBackend()];
    try {
      const oneThread = await run('train', '--limit', '64', '--test-limit', '50', '--backend', 'wasm', '--threads', '1');
      expect(oneThread.code, oneThread.err).to.equal(0);
      const relaxed = expectedWasmSimd() === 'relaxed' ? ', relaxed SIMD (fused multiply-adds)' : '';
      expect(oneThread.out).to.contain(`kernels: wasm, 1 thread${relaxed}\n`);
      const onJs = await run('train', '--limit', '64', '--test-limit', '50', '--backend', 'js');
      expect(onJs.out).to.contain('kernels: js\n');
    } finally {
      setNumThreads(previous);
      setBackend(backend);
    }
    const refused = await run('train', '--threads', '0', '--data', '/nonexistent');
    expect(refused.code).to.equal(2);
    expect(refused.err).to.contain('--threads: expected an integer in [1, 256], got "0"');
  });

  it('gradcheck --json reports every check as passed', async () => {
    const result = await run('gradcheck', '--json', '--layer', 'drop');
    expect(result.code).to.equal(0);
    const report = JSON.parse(result.out) as { passed: boolean; checks: Array<{ name: string; passed: boolean; maxAbsError: number }> };
    expect(report.passed).to.equal(true);
    expect(report.checks.map((c) => c.name)).to.include.members([
      'Dropout (p 0.5)',
      'dropout (p 0.5)',
      'DropBlock2d (p 0.3, block 3)',
      'DropPath (row)',
    ]);
    expect(report.checks.every((c) => c.passed && c.maxAbsError < 1e-5)).to.equal(true);
    expect((await run('gradcheck', '--layer', 'nothing-like-this')).code).to.equal(2);
  });

  it('gradcheck --order 2 checks second derivatives, with the same lines and summary; other orders are refused', async () => {
    const result = await run('gradcheck', '--order', '2', '--layer', 'dropblock');
    expect(result.code, result.err).to.equal(0);
    const lines = result.out.trim().split('\n');
    expect(lines.slice(0, 3).map((l) => l.slice(0, 50).trimEnd())).to.deep.equal([
      'PASS  dropBlock2d (p 0.3, block 3)',
      'PASS  DropBlock2d (p 0.3, block 3)',
      'PASS  DropBlock2d (p 0.3, block 2, shared mask)',
    ]);
    expect(lines.at(-1)).to.equal('3 passed, 0 failed');
    const json = JSON.parse((await run('gradcheck', '--order', '2', '--json', '--layer', 'dropout (p')).out) as {
      order: number;
      passed: boolean;
    };
    expect(json).to.include({ order: 2, passed: true });
    for (const bad of ['3', '0', '1.0', 'two']) {
      const refused = await run('gradcheck', '--order', bad);
      expect(refused.code, bad).to.equal(2);
      expect(refused.err).to.contain(`--order: expected one of 1, 2, got ${JSON.stringify(bad)}`);
      expect(refused.out).to.equal('');
    }
  });
});
