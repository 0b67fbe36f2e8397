/**
 * The worker threads that share the wasm kernels' work, and the synchronous dispatch of one
 * kernel call across them. Workers 1…n−1 wait on a shared control block (control.ts) and compute
 * shares 0…n−2; the calling thread computes the last share, then waits until all are done. The
 * caller takes the last share because it has just copied the operands in, front to back: the end
 * of them is still in its own cache (in interleaved runs of a training step, two threads gained
 * 1.08–1.17× this way against 0.98–1.16× with the caller on the first share).
 *
 * Workers exist only where the memory is shared (instance.ts). They are started on the first
 * call that wants more than one thread. In Node the caller waits (≤ 2 s) for them to come up;
 * a page cannot block, so there calls run on one thread until every worker has said it is ready.
 * Which thread computes an output never changes its value, so none of this shows in results.
 */
import { Control, controlSlots } from './control';
import type { WasmInstance } from './instance';
import { type KernelName, kernelNames } from './kernel-names';
import { getNumThreads } from './thread-count';
import { workerSource } from './worker-source';

interface WorkerHandle {
  terminate(): unknown;
}

interface Pool {
  workers: WorkerHandle[];
  state: Int32Array;
}

type NodeWorkerThreads = typeof import('node:worker_threads');

let pool: Pool | undefined;
/** Why the last pool could not be started (then calls run on one thread), and its size. */
let problem: string | undefined;
let failedSize = 0;
/** Kernel calls that ran on more than one thread since the process (or page) started. */
let parallelCalls = 0;
/** Whether this thread may block in Atomics.wait (a page's main thread may not; it spins). */
let blockingWaitAllowed: boolean | undefined;

/** Node's worker_threads, or undefined outside Node (and in Node < 20.16, which lacks getBuiltinModule). */
function nodeWorkerThreads(): NodeWorkerThreads | undefined {
  const getBuiltinModule = globalThis.process?.getBuiltinModule as ((id: string) => unknown) | undefined;
  return getBuiltinModule?.('node:worker_threads') as NodeWorkerThreads | undefined;
}

const runsInNode = (): boolean => nodeWorkerThreads() !== undefined;

function startWorkers(wasm: WasmInstance, count: number, state: Int32Array): WorkerHandle[] {
  const data = (thread: number) => ({ module: wasm.module, memory: wasm.memory, control: state.buffer, thread, kernelNames });
  const workerThreads = nodeWorkerThreads();
  if (workerThreads) {
    return Array.from({ length: count }, (_, i) => {
      const worker = new workerThreads.Worker(workerSource, { eval: true, workerData: data(i + 1) });
      worker.unref(); // idle workers must not keep the process alive
      return worker;
    });
  }
  if (typeof Worker !== 'function' || typeof Blob !== 'function') throw new Error('this environment has no worker threads');
  const url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
  return Array.from({ length: count }, (_, i) => {
    const worker = new Worker(url);
    worker.postMessage(data(i + 1));
    return worker;
  });
}

function stopPool(): void {
  if (!pool) return;
  Atomics.store(pool.state, Control.kernel, -1);
  Atomics.add(pool.state, Control.generation, 1);
  Atomics.notify(pool.state, Control.generation);
  for (const worker of pool.workers) worker.terminate();
  pool = undefined;
}

/** Waits until state[slot] reaches `target`; false if `timeoutMs` passed first. */
function waitFor(state: Int32Array, slot: number, target: number, timeoutMs = Number.POSITIVE_INFINITY): boolean {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = Atomics.load(state, slot);
    if (value >= target) return true;
    const left = deadline - performance.now();
    if (left <= 0) return false;
    if (blockingWaitAllowed === undefined) {
      try {
        Atomics.wait(state, slot, value, 0);
        blockingWaitAllowed = true;
      } catch {
        blockingWaitAllowed = false;
      }
    }
    if (blockingWaitAllowed) Atomics.wait(state, slot, value, Math.min(left, 1000));
  }
}

function poolFor(wasm: WasmInstance, threads: number): Pool | undefined {
  if (pool && pool.workers.length === threads - 1) return pool;
  if (!pool && failedSize === threads) return undefined;
  stopPool();
  problem = undefined;
  const state = new Int32Array(new SharedArrayBuffer(controlSlots * 4));
  try {
    pool = { workers: startWorkers(wasm, threads - 1, state), state };
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
    failedSize = threads;
    return undefined;
  }
  if (runsInNode() && !waitFor(state, Control.ready, threads - 1, 2000)) {
    problem = 'the worker threads did not start within 2 s';
  }
  return pool;
}

/**
 * How many threads a call may use now: `wanted`, or 1 where memory is not shared, workers cannot
 * be started, or (on a page) they are not all ready yet.
 */
export function threadsAvailable(wasm: WasmInstance, wanted: number): number {
  // The pool always has getNumThreads() − 1 workers, however many a call wants: a call that wants
  // fewer leaves the rest idle (they only count themselves done), instead of restarting the pool.
  const size = getNumThreads();
  const threads = Math.min(wanted, size);
  if (threads <= 1 || !wasm.shared) return 1;
  const current = poolFor(wasm, size);
  return current && Atomics.load(current.state, Control.ready) === current.workers.length ? threads : 1;
}

/** The threads for a call that splits into `items` independent pieces: at most one piece each. */
export function threadsFor(wasm: WasmInstance, items: number): number {
  return threadsAvailable(wasm, Math.max(1, Math.min(getNumThreads(), Math.floor(items))));
}

/** Values a thread must get in a memory-bound kernel (pooling, batch norm) to repay its start-up. */
const valuesPerThread = 16384;

/** The threads for a memory-bound call over `values` values that splits into `items` pieces. */
export function threadsForValues(wasm: WasmInstance, items: number, values: number): number {
  return threadsFor(wasm, Math.min(items, values / valuesPerThread));
}

/** Why calls run on one thread although more were asked for, or undefined. */
export function threadProblem(wasm: WasmInstance, wanted: number): string | undefined {
  if (Math.min(wanted, getNumThreads()) <= 1) return undefined;
  if (!wasm.shared) return 'memory cannot be shared here (a page must be cross-origin isolated)';
  if (threadsAvailable(wasm, wanted) === wanted) return undefined;
  return problem ?? 'the worker threads are still starting';
}

/** The pool as it stands: worker threads started and ready, and the calls they have shared. */
export function threadPoolState(): { workers: number; readyWorkers: number; parallelCalls: number } {
  return {
    workers: pool?.workers.length ?? 0,
    readyWorkers: pool ? Atomics.load(pool.state, Control.ready) : 0,
    parallelCalls,
  };
}

/** Runs kernel `name` on the argument block at `args` with `threads` threads (from threadsAvailable). */
export function runKernel(wasm: WasmInstance, name: KernelName, args: number, threads: number): void {
  const kernel = wasm.exports[name];
  if (threads <= 1 || !pool) {
    kernel(args, 0, 1);
    return;
  }
  const { state, workers } = pool;
  parallelCalls++;
  Atomics.store(state, Control.kernel, kernelNames.indexOf(name));
  Atomics.store(state, Control.args, args);
  Atomics.store(state, Control.threads, threads);
  Atomics.store(state, Control.done, 0);
  Atomics.store(state, Control.failed, 0);
  Atomics.add(state, Control.generation, 1);
  Atomics.notify(state, Control.generation);
  try {
    kernel(args, threads - 1, threads); // the last share: see the file comment
  } finally {
    // Even when this thread's share failed, the workers must finish before the memory is reused.
    waitFor(state, Control.done, workers.length);
  }
  if (Atomics.load(state, Control.failed)) throw new Error(`wasm kernel ${name} failed in a worker thread`);
}
