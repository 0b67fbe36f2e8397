/**
 * The worker side of the thread pool's protocol (kernels/wasm/worker-source.ts), driven by hand:
 * each share of an accumulating kernel (average pooling's backward, dx += dy / divisor) must be
 * computed exactly once, whatever else sees the job — a second worker on the same thread (a retired
 * one whose terminate() has not taken effect yet), two workers that both pass the life check, two
 * threads claiming shares side by side, a worker holding an old job, a wake with no new job.
 * Computed twice, its output would silently double; skipped, it would silently be missing.
 */
import { Worker } from 'node:worker_threads';
import { expect } from 'chai';
import { type ArgumentBlock, kernelNames } from '../kernels/wasm/argument-blocks';
import { avgPoolWindows } from '../kernels/pool2d';
import { type CallFrame, callFrame, endCall } from '../kernels/wasm/call-frame';
import { Control, WorkerField, controlSlots, workerSlot } from '../kernels/wasm/control';
import { wasmInstance } from '../kernels/wasm/instance';
import { spinMs } from '../kernels/wasm/thread-cost';
import { workerSource } from '../kernels/wasm/worker-source';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, done: () => boolean): Promise<void> {
  const deadline = Date.now() + 20000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(2);
  }
}

/** Planes of the average-pool backward job: plane p adds 1 to dx[4p] each time it is computed. */
const planes = 64;

describe('wasm worker protocol: each share is computed exactly once', () => {
  const wasm = wasmInstance();
  let state: Int32Array;
  let frame: CallFrame;
  let dx: number;
  let args: number;
  let workers: Worker[];

  beforeEach(() => {
    state = new Int32Array(new SharedArrayBuffer(controlSlots * 4));
    workers = [];
    frame = callFrame(wasm);
    dx = frame.input(new Float32Array(planes * 4));
    // One 2×2 window per 2×2 plane, divisor 4: dy = 4 adds 1 to each of the plane's values.
    const window = avgPoolWindows(2, 1, 2, 2, 0, true);
    const axis = (name: 'row' | 'col') => ({
      [`${name}Start`]: frame.input(window.start),
      [`${name}End`]: frame.input(window.end),
      [`${name}Divisor`]: frame.input(window.divisor),
    });
    const sizes = { planes, inH: 2, inW: 2, outH: 1, outW: 1 };
    const operands = { dy: frame.input(new Float32Array(planes).fill(4)), dx };
    args = frame.args('avgPool2dBackward', { ...sizes, ...axis('row'), ...axis('col'), ...operands } as ArgumentBlock<'avgPool2dBackward'>);
  });

  afterEach(async () => {
    await Promise.all(workers.map((worker) => worker.terminate()));
    endCall();
    frame.release();
  });

  /** How many times each plane was computed. */
  const timesComputed = () => Array.from({ length: planes }, (_, p) => new Float32Array(wasm.memory.buffer, dx, planes * 4)[4 * p]);
  const each = (times: number) => new Array(planes).fill(times);

  async function startWorker(id: number, thread = 1): Promise<Worker> {
    const ready = Atomics.load(state, Control.ready);
    const workerData = { module: wasm.module, memory: wasm.memory, control: state.buffer, thread, id, kernelNames };
    const worker = new Worker(workerSource, { eval: true, workerData });
    workers.push(worker);
    await until(`worker ${id} is up`, () => Atomics.load(state, Control.ready) > ready);
    return worker;
  }

  /**
   * Publishes a job as runKernel does, one share per plane, but leaves every share to the workers
   * (the caller claims none), and waits until they computed all of them. `stale`: the job's shares
   * lie behind the claim counter, as an old job's do for a worker that read it late.
   */
  async function handOut(threads = 2, stale = false): Promise<void> {
    const generation = Atomics.add(state, Control.generation, 1) + 2;
    Atomics.store(state, Control.kernel, kernelNames.indexOf('avgPool2dBackward'));
    Atomics.store(state, Control.args, args);
    Atomics.store(state, Control.threads, threads);
    Atomics.store(state, Control.shares, planes);
    const next = Atomics.load(state, Control.nextShare);
    Atomics.store(state, Control.firstShare, stale ? next - planes : next);
    Atomics.store(state, Control.sharesDone, 0);
    Atomics.store(state, Control.generation, generation);
    Atomics.notify(state, Control.generation);
    if (!stale) await until('the workers computed every share', () => Atomics.load(state, Control.sharesDone) === planes);
  }

  it('a retired worker still running beside its successor takes no job, and stops', async () => {
    const retired = await startWorker(7);
    const exited = new Promise((resolve) => retired.once('exit', resolve));
    await startWorker(8);
    Atomics.store(state, workerSlot(1, WorkerField.life), 8); // the pool now wants worker 8 on thread 1
    await handOut();
    await exited;
    expect(timesComputed()).to.deep.equal(each(1));
    expect(Atomics.load(state, Control.duplicates)).to.equal(0);
  });

  it("two workers that both see the job as their thread's let only one take part", async () => {
    Atomics.store(state, workerSlot(1, WorkerField.life), 7);
    await startWorker(7);
    await startWorker(7);
    await handOut();
    await until('the second worker saw the job', () => Atomics.load(state, Control.duplicates) === 1);
    expect(timesComputed()).to.deep.equal(each(1));
  });

  it('workers on two threads claiming side by side compute every share once', async () => {
    Atomics.store(state, workerSlot(1, WorkerField.life), 7);
    Atomics.store(state, workerSlot(2, WorkerField.life), 8);
    await startWorker(7, 1);
    await startWorker(8, 2);
    for (let job = 1; job <= 20; job++) {
      await handOut(3);
      expect(timesComputed(), `after job ${job}`).to.deep.equal(each(job));
    }
  });

  it('a worker that reads a job whose shares are all claimed computes nothing', async () => {
    Atomics.store(state, workerSlot(1, WorkerField.life), 7);
    await startWorker(7);
    await handOut(2, true);
    await sleep(spinMs + 20);
    expect(timesComputed()).to.deep.equal(each(0));
    await handOut();
    expect(timesComputed(), 'the next job still runs').to.deep.equal(each(1));
  });

  it('a job for fewer threads is left alone by the workers beyond them', async () => {
    Atomics.store(state, workerSlot(1, WorkerField.life), 7);
    Atomics.store(state, workerSlot(2, WorkerField.life), 8);
    await startWorker(7, 1);
    await startWorker(8, 2);
    const claimOfThread2 = Atomics.load(state, workerSlot(2, WorkerField.claim));
    await handOut(2);
    expect(timesComputed()).to.deep.equal(each(1));
    expect(Atomics.load(state, workerSlot(2, WorkerField.claim)), 'thread 2 took no part').to.equal(claimOfThread2);
  });

  it('a worker woken with no new job runs nothing', async () => {
    Atomics.store(state, workerSlot(1, WorkerField.life), 7);
    await startWorker(7);
    await handOut();
    const done = Atomics.load(state, Control.done);
    for (let wake = 0; wake < 5; wake++) {
      await sleep(spinMs + 5); // past the worker's spin, so that it sleeps in Atomics.wait
      Atomics.notify(state, Control.generation);
    }
    await sleep(20);
    expect(timesComputed()).to.deep.equal(each(1));
    expect(Atomics.load(state, Control.done), 'no job recorded as done').to.equal(done);
    await handOut();
    expect(timesComputed(), 'the next job still runs').to.deep.equal(each(2));
  });
});
