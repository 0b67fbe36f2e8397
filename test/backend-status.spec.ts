/**
 * What backendStatus() and the CLI's "kernels:" line say runs: the js kernels for float64 on
 * 'wasm', the reason when the wasm memory cannot be reserved (`ulimit -v`); and withBackend(),
 * which restores the backend when fn returns, refusing functions that return before their work is done.
 */
import { expect } from 'chai';
import { backendStatus, getBackend, getNumThreads, setBackend, setNumThreads, withBackend } from '../index';
import { runCli } from './helpers/buffer-io';
import { useLibraryChild } from './helpers/child-node';
import { mnistDir } from './helpers/data-files';

describe('backend status', function () {
  this.timeout(60000);

  describe('for the dtype the kernels run on', () => {
    it("float64 on 'wasm' runs the js kernels on one thread, and says so", () => {
      expect(withBackend('wasm', () => backendStatus({ dtype: 'float64' }))).to.deep.equal({
        selected: 'wasm',
        running: 'js',
        threads: 1,
        note: 'float64 tensors run the js kernels on one thread (the wasm kernels are float32 only)',
      });
      expect(withBackend('wasm', () => backendStatus({ dtype: 'float32' }))).to.deep.include({ running: 'wasm' });
    });

    it('refuses unknown options and dtypes by name', () => {
      expect(() => backendStatus({ dtyp: 'float64' } as never)).to.throw(
        TypeError,
        'backendStatus: unknown option "dtyp" (expected dtype)',
      );
      expect(() => backendStatus({ dtype: 'int32' } as never)).to.throw(
        TypeError,
        `backendStatus: dtype must be 'float32' or 'float64', got "int32"`,
      );
      expect(() => backendStatus(null as never)).to.throw(TypeError, 'backendStatus: expected an options object, got null');
    });

    it("train --dtype float64 --backend wasm prints 'kernels: js' and why", async () => {
      const [threads, backend] = [getNumThreads(), getBackend()];
      try {
        const run = await runCli('train', '--limit', '64', '--test-limit', '50', '--backend', 'wasm', '--dtype', 'float64');
        expect(run.code, run.err).to.equal(0);
        expect(run.out).to.contain('kernels: js\n').and.not.contain('kernels: wasm');
        expect(run.err).to.contain('dropgrad: float64 tensors run the js kernels on one thread (the wasm kernels are float32 only)\n');
      } finally {
        setNumThreads(threads);
        setBackend(backend);
      }
    });
  });

  describe('where the wasm memory cannot be reserved (ulimit -v)', () => {
    const runNode = useLibraryChild(`export { main } from './app/cli/main';`);
    const reason =
      /the wasm memory's address space \(up to 4 GiB\) cannot be reserved here \(.+\); is virtual memory limited, e\.g\. by ulimit -v\?/;
    const virtualMemoryKiB = 3_000_000;

    it("the default 'js' backend says why the wasm kernels cannot run", async () => {
      const { status, stdout, stderr } = await runNode('console.log(JSON.stringify(load().backendStatus()));', { virtualMemoryKiB });
      expect(status, stderr).to.equal(0);
      const reported = JSON.parse(stdout);
      expect(reported).to.deep.include({ selected: 'js', running: 'js', threads: 1 });
      expect(reported.note).to.match(new RegExp(`^the wasm kernels cannot run here: ${reason.source}$`));
    });

    it("train prints the reason before 'kernels: js'", async () => {
      // The bundle lives in a temporary folder, away from the clone's data/mnist: the data is named.
      const script = `process.exitCode = await load().main(['train', '--data', ${JSON.stringify(mnistDir)}, '--limit', '64', '--test-limit', '50']);`;
      const { status, stdout, stderr } = await runNode(script, { virtualMemoryKiB });
      expect(status, stderr).to.equal(0);
      expect(stdout).to.contain('kernels: js\n');
      expect(stderr).to.match(new RegExp(`^dropgrad: the wasm kernels cannot run here: ${reason.source}\n`));
    });
  });

  describe('withBackend', () => {
    it('refuses an async function before running it, leaving the backend as it was', () => {
      const before = getBackend();
      let ran = false;
      expect(() =>
        withBackend('reference', async () => {
          ran = true;
        }),
      ).to.throw(
        TypeError,
        'withBackend: fn must be synchronous: the previous backend is restored when fn returns, before any await in it resumes; await inside a synchronous fn, or call setBackend() before and after the async code (got an async function)',
      );
      expect(ran, 'fn ran').to.equal(false);
      expect(getBackend()).to.equal(before);
    });

    it('refuses a promise returned by a plain function, after restoring the backend', async () => {
      const before = getBackend();
      const pending = Promise.resolve(1);
      expect(() => withBackend('reference', () => pending)).to.throw(TypeError, '(it returned a promise)');
      expect(getBackend()).to.equal(before);
      await pending;
    });

    it('still returns what a synchronous fn returns, on the backend asked for', () => {
      expect(withBackend('reference', () => getBackend())).to.equal('reference');
    });
  });
});
