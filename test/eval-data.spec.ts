import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli as run } from './helpers/buffer-io';
import { useTempDir, writeMnistLayout } from './helpers/data-files';

describe('dropgrad eval: scores the data the checkpoint was trained on, or says it does not', function () {
  this.timeout(120000);
  const tempDir = useTempDir();

  /** A checkpoint trained with --data DIR (20 digits per split in MNIST's layout). */
  async function trainedOnDirectory(): Promise<{ path: string; dir: string }> {
    const dir = join(tempDir(), 'digits');
    mkdirSync(dir);
    writeMnistLayout(dir, 20);
    const path = join(tempDir(), 'ck.safetensors');
    expect(await run('train', '--data', dir, '--batch-size', '10', '--save', path)).to.include({ code: 0, err: '' });
    return { path, dir };
  }

  it("without data flags, reads the checkpoint's own --data directory, not MNIST", async () => {
    const { path, dir } = await trainedOnDirectory();
    const result = await run('eval', '--load', path);
    expect(result).to.include({ code: 0, err: '' });
    expect(result.out.split('\n')[0]).to.match(new RegExp(`^${path} on MNIST \\(${dir}\\) test set: accuracy [\\d.]+% \\(20 examples\\)`));
  });

  it("with data flags other than the checkpoint's, scores them and says so on stderr", async () => {
    const { path, dir } = await trainedOnDirectory();
    const other = join(tempDir(), 'other');
    mkdirSync(other);
    writeMnistLayout(other, 10);
    const result = await run('eval', '--load', path, '--data', other);
    expect(result.code).to.equal(0);
    expect(result.err).to.equal(
      `dropgrad eval: note: ${path} was trained on --data ${dir}; scoring it on --data ${other} as the flags ask\n`,
    );
    expect(result.out).to.contain(`on MNIST (${other}) test set`).and.contain('(10 examples)');
    // The checkpoint's own data, given again, is no news.
    expect((await run('eval', '--load', path, '--data', dir)).err).to.equal('');
  });

  it('takes --test-limit, and refuses --limit (it reads no training images) instead of ignoring it', async () => {
    const { path } = await trainedOnDirectory();
    expect((await run('eval', '--load', path, '--test-limit', '5')).out).to.contain('(5 examples)');
    const limited = await run('eval', '--load', path, '--limit', '5');
    expect(limited).to.include({ code: 2, out: '' });
    expect(limited.err).to.match(/^dropgrad: eval: unknown flag --limit; expected one of --load, .*--test-limit \(see --help\)\n$/);
  });
});
