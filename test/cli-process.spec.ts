import { expect } from 'chai';
import { type ChildProcess, type ChildProcessByStdio, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { inspectCheckpoint } from '../app/serialization/checkpoint';
import { useTempDir, writeIdxSplit } from './helpers/data-files';

/** Runs the CLI from the TypeScript sources in a child process, with stdout and stderr piped. */
function spawnCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(process.execPath, ['--import', 'tsx', 'app/cli/main.ts', ...args], {
    cwd: join(__dirname, '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
}

/**
 * Runs the CLI as `dropgrad ARGS | head -1` does: reads its stdout up to the first line, then closes
 * the reading end of the pipe. Resolves with that line, all of stderr and how the process ended.
 */
async function runIntoHead(args: readonly string[]): Promise<{ first: string; err: string; code: number | null; signal: string | null }> {
  const child = spawnCli(args);
  let [first, err] = ['', ''];
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    first += d.toString();
    if (first.includes('\n')) child.stdout.destroy();
  });
  const [code, signal] = await exited(child);
  return { first, err, code, signal };
}

const exited = (child: ChildProcess): Promise<[number | null, NodeJS.Signals | null]> =>
  new Promise((resolve) => child.on('exit', (c, s) => resolve([c, s])));

describe('dropgrad output into a pipe closed early (dropgrad gradcheck | head -1)', function () {
  this.timeout(300000);

  it('runs every check and exits 0: no unhandled EPIPE, no stack trace', async () => {
    const { first, ...ending } = await runIntoHead(['gradcheck']);
    expect(first).to.match(/^PASS {2}add/);
    expect(ending).to.deep.equal({ code: 0, signal: null, err: '' });
  });
});

describe('dropgrad run from another directory', function () {
  this.timeout(120000);
  const tempDir = useTempDir();

  it("finds the repository's MNIST (data/mnist) from dropgrad's own location, not from the working directory", async () => {
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

describe('dropgrad train into a pipe closed early (train --save ck.safetensors | head -1)', function () {
  this.timeout(120000);
  const tempDir = useTempDir();

  it('keeps training, saves every epoch and exits 0: the closed stdout loses the output, not the work', async () => {
    const dir = tempDir();
    const files = [...writeIdxSplit(dir, 'train', 20, 28, (i) => i % 10), ...writeIdxSplit(dir, 'test', 20, 28, (i) => i % 10)];
    const checkpoint = join(dir, 'ck.safetensors');
    const { first, ...ending } = await runIntoHead(['train', ...files, '--epochs', '3', '--batch-size', '4', '--save', checkpoint]);
    expect(first).to.match(/^kernels: /);
    expect(ending).to.deep.equal({ code: 0, signal: null, err: '' });
    expect(inspectCheckpoint(checkpoint).epoch).to.equal(3);
  });
});

describe('DROPGRAD_WORKER set by hand', function () {
  this.timeout(60000);

  it('says the variable is internal and how compare sets it, instead of a stack trace', async () => {
    const child = spawnCli(['train'], { ...process.env, DROPGRAD_WORKER: 'compare' });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const [code] = await exited(child);
    expect(code).to.equal(2);
    expect(err).to.equal(
      'dropgrad: DROPGRAD_WORKER=compare is internal: `dropgrad compare --jobs N` and `dropgrad stochastic-depth --jobs N` set it ' +
        'in the child processes they start, which take their runs from the parent over an IPC channel; this process has none. ' +
        'Unset it to run dropgrad (`env -u DROPGRAD_WORKER dropgrad …`)\n',
    );
  });
});
