/**
 * The wasm thread pool's lifecycle: a worker that dies does not hang the next call (it fails,
 * naming its kernel, or runs on one thread) and is no longer counted; a thread count above the
 * cores is capped; changing the count resizes the pool instead of restarting it; releaseMemory()
 * gives the memory of a large call back.
 */
import { expect } from 'chai';
import { F, type Tensor, backendStatus, getNumThreads, randn, releaseMemory, setNumThreads, wasmStatus, withBackend } from '../index';
import { expectedWasmSimd } from './helpers/wasm-modules';
import { withWasm } from '../kernels/wasm/instance';
import { poolWorkerHandles } from '../kernels/wasm/thread-pool';
import { useLibraryChild } from './helpers/child-node';
import { wasmWorkersReady } from './helpers/wasm';
import { expectSameBits } from './helpers/wasm-threads';

const conv = (x: Tensor, w: Tensor): Float32Array => Float32Array.from(withBackend('wasm', () => F.conv2d(x, w)).data);

describe('wasm thread pool', function () {
  this.timeout(60000);

  describe('a worker thread that dies', () => {
    const runNode = useLibraryChild(
      `export { poolWorkerHandles } from './kernels/wasm/thread-pool';\nexport { setSplitEveryCall } from './kernels/wasm/thread-cost';`,
    );

    // Shared by both cases: two threads up, a conv's result, and a report of what follows `kill`.
    const script = (kill: string) => `
const { F, randn, setBackend, setNumThreads, wasmStatus, backendStatus, poolWorkerHandles, setSplitEveryCall } = load();
setSplitEveryCall(true); // the small conv must run on both threads (test/helpers/split-every-call.ts)
setBackend('wasm');
setNumThreads(2);
while (wasmStatus().readyWorkers < 1) await new Promise((resolve) => setTimeout(resolve, 20));
const x = randn([8, 3, 16, 16], { dtype: 'float32' });
const w = randn([6, 3, 3, 3], { dtype: 'float32' });
const conv = () => Array.from(F.conv2d(x, w).data);
const expected = conv();
const sharedBefore = wasmStatus().parallelCalls;
const [worker] = poolWorkerHandles();
let outcome;
${kill}
const status = wasmStatus();
const note = backendStatus().note;
const again = conv();
setNumThreads(2); // starts new workers
while (wasmStatus().readyWorkers < 1) await new Promise((resolve) => setTimeout(resolve, 20));
const calls = wasmStatus().parallelCalls;
const restarted = conv();
console.log(JSON.stringify({
  sharedBefore, outcome, workers: status.workers, readyWorkers: status.readyWorkers,
  reason: status.singleThreadReason, note,
  againSame: JSON.stringify(again) === JSON.stringify(expected),
  restartedShared: wasmStatus().parallelCalls - calls, restartedSame: JSON.stringify(restarted) === JSON.stringify(expected),
}));`;

    const tryCall = `try { outcome = conv().length === expected.length ? 'finished' : 'wrong length'; } catch (error) { outcome = error.message; }`;

    for (const [when, kill] of [
      // The worker dies while the caller is blocked waiting for it: only the watchdog can see it.
      ['terminated just as a call starts', `const exited = worker.terminate();\n${tryCall}\nawait exited;`],
      // The exit was seen between calls: the next call runs on one thread.
      ['terminated between calls', `await worker.terminate();\n${tryCall}`],
    ] as const) {
      it(`${when}: the call finishes (with an error naming its kernel, or on one thread), the worker is no longer counted, and setNumThreads() starts new ones`, async () => {
        const { status, stdout, stderr } = await runNode(script(kill));
        expect(status, stderr).to.equal(0);
        const report = JSON.parse(stdout);
        expect(report.sharedBefore, 'the first call ran on two threads').to.be.greaterThan(0);
        if (report.outcome !== 'finished') {
          expect(report.outcome).to.match(/^wasm kernel conv2dForward failed: wasm worker thread 1 exited during a conv2dForward call;/);
        }
        const reason = report.reason as string;
        expect(reason).to.match(
          /^wasm worker thread 1 exited (during a conv2dForward call|between calls); the kernels run on one thread until setNumThreads\(\) is called again$/,
        );
        expect(report).to.deep.include({
          workers: 0,
          readyWorkers: 0,
          note: `2 threads asked for, 1 running: ${reason}`,
          againSame: true,
          restartedSame: true,
          restartedShared: 1,
        });
        expect(stderr, 'one warning').to.equal(`dropgrad: ${reason}\n`);
      });
    }
  });

  describe('thread count', () => {
    // The cores the thread count is capped to come from os.availableParallelism(); the specs pretend to more.
    const nodeOs = require('node:os') as typeof import('node:os');
    const realCores = nodeOs.availableParallelism;
    const threadsBefore = getNumThreads();
    // The cap's one warning per process is checked in a fresh process (wasm-fallback.spec.ts); here it is kept quiet.
    const realWarn = console.warn;
    beforeEach(() => {
      console.warn = () => {};
    });
    afterEach(() => {
      console.warn = realWarn;
      nodeOs.availableParallelism = realCores;
      setNumThreads(threadsBefore);
    });

    it('above the number of cores is capped to it, with a status note', () => {
      nodeOs.availableParallelism = () => 3;
      setNumThreads(256);
      expect(getNumThreads()).to.equal(3);
      expect(withBackend('wasm', () => wasmStatus())).to.deep.include({ threads: 3 });
      expect(withBackend('wasm', () => backendStatus())).to.deep.equal({
        selected: 'wasm',
        running: 'wasm',
        threads: 3,
        simd: expectedWasmSimd(),
        note: '256 threads asked for, capped to the 3 cores here',
      });
      setNumThreads(2);
      expect(getNumThreads()).to.equal(2);
    });

    it('changes resize the pool: growing starts only the missing workers, shrinking retires the surplus', async () => {
      nodeOs.availableParallelism = () => 4;
      const x = randn([8, 3, 14, 14], { dtype: 'float32' });
      const w = randn([5, 3, 3, 3], { dtype: 'float32' });
      await wasmWorkersReady(3);
      setNumThreads(3);
      const expected = conv(x, w);
      const [first, second] = poolWorkerHandles();
      expect(poolWorkerHandles()).to.have.length(2);

      await wasmWorkersReady(4);
      setNumThreads(4);
      expectSameBits([conv(x, w)], [expected]);
      const grown = poolWorkerHandles();
      expect(grown).to.have.length(3);
      expect(grown[0] === first && grown[1] === second, 'the two workers kept').to.equal(true);

      setNumThreads(2);
      expectSameBits([conv(x, w)], [expected]);
      const shrunk = poolWorkerHandles();
      expect(shrunk).to.have.length(1);
      expect(shrunk[0] === first, 'the first worker kept').to.equal(true);
      expect(withBackend('wasm', () => wasmStatus())).to.deep.include({ threads: 2, workers: 1 });
    });

    it('a call that can use fewer threads than asked for (a batch of 2 with 3 threads) keeps the pool', () => {
      nodeOs.availableParallelism = () => 4;
      setNumThreads(3);
      expect(withBackend('wasm', () => wasmStatus())).to.deep.include({ available: true, threads: 3, workers: 2 });
      const workers = poolWorkerHandles();
      conv(randn([2, 3, 12, 12], { dtype: 'float32' }), randn([5, 3, 3, 3], { dtype: 'float32' }));
      const after = poolWorkerHandles();
      expect(after.length === 2 && after.every((worker, i) => worker === workers[i]), 'the same two workers').to.equal(true);
    });
  });

  describe('releaseMemory()', () => {
    it("gives back the largest call's memory, and the kernels still compute the same after", () => {
      const small = [randn([2, 3, 8, 8], { dtype: 'float32' }), randn([4, 3, 3, 3], { dtype: 'float32' })] as const;
      const expected = conv(...small);
      conv(randn([64, 3, 64, 64], { dtype: 'float32' }), randn([16, 3, 3, 3], { dtype: 'float32' }));
      const grown = withBackend('wasm', () => wasmStatus());
      if (!grown.available) throw new Error(grown.reason);
      expect(grown.memoryBytes, 'after a large call').to.be.greaterThan(16 << 20);

      releaseMemory();
      const released = withBackend('wasm', () => wasmStatus());
      if (!released.available) throw new Error(released.reason);
      expect(released.memoryBytes, 'a fresh memory').to.equal(1 << 16);
      expectSameBits([conv(...small)], [expected]);
    });

    it('is refused while a wasm call runs', () => {
      expect(() =>
        withWasm(
          () => releaseMemory(),
          () => undefined,
        ),
      ).to.throw('releaseMemory: a wasm kernel call is running; call it between kernel calls, not from inside one');
    });
  });
});
