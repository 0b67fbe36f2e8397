/**
 * The worker side of the thread pool's protocol (kernels/wasm/worker-source.ts), driven by hand:
 * a share of an accumulating kernel (max pooling's backward, dx += dy at the argmax) must be
 * computed exactly once, whatever else sees the job — a second worker on the same thread (a retired
 * one whose terminate() has not taken effect yet), two workers that both pass the life check, a
 * wake with no new job. Computed twice, its output would silently double.
 */
import { Worker } from 'node:worker_threads';
import { expect } from 'chai';
import { kernelNames } from '../kernels/wasm/argument-blocks';
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

describe('wasm worker protocol: a share is computed at most once', () => {
  const wasm = wasmInstance();
  let state: Int32Array;
  let frame: CallFrame;
  let dx: number;
  let args: number;
  let workers: Worker[];

  /** Thread 1's share of 2 (plane 0) of a max-pool backward: dx[0] += 1 each time it is computed. */
  beforeEach(() => {
    state = new Int32Array(new SharedArrayBuffer(controlSlots * 4));
    workers = [];
    frame = callFrame(wasm);
    dx = frame.input(new Float32Array(8));
    const geometry = { planes: 2, inH: 2, inW: 2, outH: 1, outW: 1, kH: 2, kW: 2, sH: 2, sW: 2, pH: 0, pW: 0, dH: 1, dW: 1 };
    const operands = { dy: frame.input(new Float32Array([1, 1])), argmax: frame.input(new Int32Array([0, 0])), dx };
    args = frame.args('maxPool2dBackward', { ...geometry, ...operands });
  });

  afterEach(async () => {
    await Promise.all(workers.map((worker) => worker.terminate()));
    endCall();
    frame.release();
  });

  const timesComputed = () => new Float32Array(wasm.memory.buffer, dx, 8)[0];

  async function startWorker(id: number): Promise<Worker> {
    const ready = Atomics.load(state, Control.ready);
    const workerData = { module: wasm.module, memory: wasm.memory, control: state.buffer, thread: 1, id, kernelNames };
    const worker = new Worker(workerSource, { eval: true, workerData });
    workers.push(worker);
    await until(`worker ${id} is up`, () => Atomics.load(state, Control.ready) > ready);
    return worker;
  }

  /** Hands out the job as runKernel does (the caller's own share left out) and waits until thread 1 finished it. */
  async function handOut(): Promise<void> {
    Atomics.store(state, Control.kernel, kernelNames.indexOf('maxPool2dBackward'));
    Atomics.store(state, Control.args, args);
    Atomics.store(state, Control.threads, 2);
    Atomics.store(state, workerSlot(1, WorkerField.claim), 0);
    const generation = Atomics.add(state, Control.generation, 1) + 1;
    Atomics.notify(state, Control.generation);
    await until('thread 1 finished the job', () => Atomics.load(state, workerSlot(1, WorkerField.finished)) === generation);
  }

  it('a retired worker still running beside its successor takes no job, and stops', async () => {
    const retired = await startWorker(7);
    const exited = new Promise((resolve) => retired.once('exit', resolve));
    await startWorker(8);
    Atomics.store(state, workerSlot(1, WorkerField.life), 8); // the pool now wants worker 8 on thread 1
    await handOut();
    await exited;
    expect(timesComputed()).to.equal(1);
    expect(Atomics.load(state, Control.duplicates)).to.equal(0);
  });

  it('two workers that both see the job as theirs compute its share once', async () => {
    Atomics.store(state, workerSlot(1, WorkerField.life), 7);
    await startWorker(7);
    await startWorker(7);
    await handOut();
    await until('the second worker saw the job', () => Atomics.load(state, Control.started) === 2);
    expect(timesComputed()).to.equal(1);
    expect(Atomics.load(state, Control.duplicates)).to.equal(1);
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
    expect(timesComputed()).to.equal(1);
    expect(Atomics.load(state, Control.done), 'no job recorded as done').to.equal(done);
    await handOut();
    expect(timesComputed(), 'the next job still runs').to.equal(2);
  });
});
