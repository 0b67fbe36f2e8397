/**
 * The worker threads that share the wasm kernels' work, and the synchronous dispatch of one
 * kernel call across them. Workers 1…n−1 wait on a shared control block (control.ts) and compute
 * shares 0…n−2; the calling thread computes the last share, then waits until all are done. The
 * caller takes the last share because it has just copied the operands in, front to back: the end
 * of them is still in its own cache (in interleaved runs of a training step, two threads gained
 * 1.08–1.17× this way against 0.98–1.16× with the caller on the first share).
 *
 * Workers exist only where the memory is shared (instance.ts). They are started on the first
 * call that wants more than one thread, and when the thread count changes the pool grows (only
 * the missing workers start) or shrinks (the surplus ones are retired). In Node the caller waits
 * (≤ 2 s) for new workers to come up; a page cannot block, so there calls run on one thread until
 * every worker has said it is ready. Which thread computes an output never changes its value, so
 * none of this shows in results.
 *
 * A worker that dies (terminated, or its thread crashed) must not hang the caller. Its 'exit' or
 * 'error' event marks it dead, but a caller blocked in Atomics.wait runs no events; so in Node a
 * watchdog thread, whose event loop stays free, also holds the other end of a port each worker
 * keeps open, and marks the worker dead (and wakes the caller) when that port closes. A call
 * during which a worker died fails, naming its kernel; from then on the kernels run on one thread,
 * with one warning and a status note, until setNumThreads() is called again.
 */
import { Control, WorkerField, controlSlots, workerSlot } from './control';
import type { WasmInstance } from './instance';
import { type KernelName, kernelNames } from './argument-blocks';
import { getNumThreads, setNumThreadsCalls } from './thread-count';
import { type KernelFamily, spinMs, worthwhileThreads } from './thread-cost';
import { watchdogSource, workerSource } from './worker-source';

interface WorkerHandle {
  terminate(): unknown;
}

interface PoolWorker {
  thread: number;
  /** Written in the worker's life slot while the pool wants it (unique per process). */
  id: number;
  handle: WorkerHandle;
}

interface Pool {
  wasm: WasmInstance;
  state: Int32Array;
  workers: PoolWorker[];
  spawn: Spawn;
  /** Node's watchdog thread (see the file comment). */
  watchdog?: import('node:worker_threads').Worker;
}

type NodeWorkerThreads = typeof import('node:worker_threads');

let pool: Pool | undefined;
/** Why the last pool could not be started (then calls run on one thread), and its size. */
let problem: string | undefined;
let failedSize = 0;
/** After a worker died: the setNumThreads() calls then, to try again after the next one. */
let lostWorkerAt: number | undefined;
let warnedAboutLostWorker = false;
let lastWorkerId = 0;
/** Kernel calls that ran on more than one thread since the process (or page) started. */
let parallelCalls = 0;
/** When (performance.now()) the last call shared with workers ended: until spinMs later they still spin. */
let lastJobEnd = Number.NEGATIVE_INFINITY;
/** Whether this thread may block in Atomics.wait (a page's main thread may not; it spins). */
let blockingWaitAllowed: boolean | undefined;

/** Node's worker_threads, or undefined outside Node (and in Node < 20.16, which lacks getBuiltinModule). */
function nodeWorkerThreads(): NodeWorkerThreads | undefined {
  const getBuiltinModule = globalThis.process?.getBuiltinModule as ((id: string) => unknown) | undefined;
  return getBuiltinModule?.('node:worker_threads') as NodeWorkerThreads | undefined;
}

const lifeSlot = (thread: number) => workerSlot(thread, WorkerField.life);

/** Marks worker `id` (on `thread`) dead unless it was retired first, and wakes a caller waiting for it. */
function markDead(state: Int32Array, thread: number, id: number): void {
  if (Atomics.compareExchange(state, lifeSlot(thread), id, -1) !== id) return;
  Atomics.add(state, Control.done, 1);
  Atomics.notify(state, Control.done);
}

function isAlive(current: Pool, worker: PoolWorker): boolean {
  return Atomics.load(current.state, lifeSlot(worker.thread)) === worker.id;
}

interface WorkerData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: ArrayBufferLike;
  thread: number;
  /** The id the pool writes in the worker's life slot while it wants the worker. */
  id: number;
  kernelNames: readonly string[];
}

/** Starts one worker thread; `died` is called if it exits or fails. */
type Spawn = (data: WorkerData, died: () => void) => WorkerHandle;

/** Node: each worker also gets a lifeline port, whose other end goes to the watchdog (see the file comment). */
function nodeSpawner(workerThreads: NodeWorkerThreads, watchdog: import('node:worker_threads').Worker): Spawn {
  return (data, died) => {
    const { port1, port2 } = new workerThreads.MessageChannel();
    watchdog.postMessage({ control: data.control, port: port1, slot: lifeSlot(data.thread), id: data.id }, [port1]);
    const worker = new workerThreads.Worker(workerSource, { eval: true, workerData: { ...data, port: port2 }, transferList: [port2] });
    worker.unref(); // idle workers must not keep the process alive
    worker.on('error', died);
    worker.on('exit', died);
    return worker;
  };
}

/** A page: Web Workers started from a Blob URL of the same source. */
function pageSpawner(): Spawn {
  if (typeof Worker !== 'function' || typeof Blob !== 'function') throw new Error('this environment has no worker threads');
  const url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
  return (data, died) => {
    const worker = new Worker(url);
    worker.addEventListener('error', died);
    worker.postMessage(data);
    return worker;
  };
}

function newPool(wasm: WasmInstance): Pool {
  const state = new Int32Array(new SharedArrayBuffer(controlSlots * 4));
  const workerThreads = nodeWorkerThreads();
  if (!workerThreads) return { wasm, state, workers: [], spawn: pageSpawner() };
  const watchdog = new workerThreads.Worker(watchdogSource, { eval: true });
  watchdog.unref(); // like the workers, it must not keep the process alive
  return { wasm, state, workers: [], spawn: nodeSpawner(workerThreads, watchdog), watchdog };
}

/** Starts the workers for threads `from`…`to − 1`. */
function startWorkers(current: Pool, from: number, to: number): void {
  const { wasm, state } = current;
  for (let thread = from; thread < to; thread++) {
    const id = ++lastWorkerId;
    Atomics.store(state, workerSlot(thread, WorkerField.up), 0);
    Atomics.store(state, lifeSlot(thread), id);
    const data = { module: wasm.module, memory: wasm.memory, control: state.buffer, thread, id, kernelNames };
    const handle = current.spawn(data, () => markDead(state, thread, id));
    current.workers.push({ thread, id, handle });
  }
}

function retire(current: Pool, worker: PoolWorker): void {
  Atomics.compareExchange(current.state, lifeSlot(worker.thread), worker.id, 0);
  worker.handle.terminate();
}

/** Retires every worker (and the watchdog) of the pool; the next call that wants threads starts a new one. */
export function stopThreadPool(): void {
  if (!pool) return;
  for (const worker of pool.workers) retire(pool, worker);
  pool.watchdog?.terminate();
  pool = undefined;
}

/** Waits until `done()`, re-checking each time state[slot] changes; false if `timeoutMs` passed first. */
function waitUntil(state: Int32Array, slot: number, done: () => boolean, timeoutMs = Number.POSITIVE_INFINITY): boolean {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = Atomics.load(state, slot);
    if (done()) return true;
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

/** After a worker died: the pool is retired and calls run on one thread until setNumThreads() is called. */
function loseWorker(current: Pool, worker: PoolWorker, during?: KernelName): string {
  const when = during === undefined ? 'between calls' : `during a ${during} call`;
  problem = `wasm worker thread ${worker.thread} exited ${when}; the kernels run on one thread until setNumThreads() is called again`;
  lostWorkerAt = setNumThreadsCalls();
  if (pool === current) stopThreadPool();
  if (!warnedAboutLostWorker) {
    warnedAboutLostWorker = true;
    console.warn(`dropgrad: ${problem}`);
  }
  return problem;
}

const deadWorker = (current: Pool) => current.workers.find((worker) => !isAlive(current, worker));

function poolFor(wasm: WasmInstance, threads: number): Pool | undefined {
  if (lostWorkerAt !== undefined) {
    if (lostWorkerAt === setNumThreadsCalls()) return undefined;
    lostWorkerAt = undefined;
    problem = undefined;
  }
  if (pool && pool.wasm !== wasm) stopThreadPool();
  if (pool) {
    const dead = deadWorker(pool);
    if (dead) {
      loseWorker(pool, dead);
      return undefined;
    }
  }
  if (pool && pool.workers.length === threads - 1) return pool;
  if (!pool && failedSize === threads) return undefined;
  problem = undefined;
  try {
    pool ??= newPool(wasm);
    const current = pool;
    for (const worker of current.workers.splice(threads - 1)) retire(current, worker);
    startWorkers(current, current.workers.length + 1, threads);
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
    failedSize = threads;
    stopThreadPool();
    return undefined;
  }
  const current = pool;
  if (nodeWorkerThreads() && !waitUntil(current.state, Control.ready, () => allUp(current) || deadWorker(current) !== undefined, 2000)) {
    problem = 'the worker threads did not start within 2 s';
  }
  return current;
}

const isUp = (current: Pool, worker: PoolWorker) => Atomics.load(current.state, workerSlot(worker.thread, WorkerField.up)) === 1;
const allUp = (current: Pool) => current.workers.every((worker) => isUp(current, worker));

/**
 * How many threads a call may use now: `wanted`, or 1 where memory is not shared, workers cannot
 * be started, a worker died, or (on a page) they are not all ready yet.
 */
export function threadsAvailable(wasm: WasmInstance, wanted: number): number {
  // The pool always has getNumThreads() − 1 workers, however many a call wants: a call that wants
  // fewer leaves the rest idle (they only record the job as finished), instead of resizing the pool.
  const size = getNumThreads();
  const threads = Math.min(wanted, size);
  if (threads <= 1 || !wasm.shared) return 1;
  const current = poolFor(wasm, size);
  return current && allUp(current) && !deadWorker(current) ? threads : 1;
}

/**
 * The threads for a call of `family` over `units` units of work (multiply-adds, or values: see
 * thread-cost.ts) that splits into `items` independent pieces: as many as repay their overhead
 * (thread-cost.ts), at most one piece each.
 */
export function threadsFor(wasm: WasmInstance, family: KernelFamily, items: number, units: number): number {
  const hot = performance.now() - lastJobEnd < spinMs;
  return threadsAvailable(wasm, worthwhileThreads(family, items, units, getNumThreads(), hot));
}

/** Why calls run on one thread although more were asked for, or undefined. */
export function threadProblem(wasm: WasmInstance, wanted: number): string | undefined {
  if (Math.min(wanted, getNumThreads()) <= 1) return undefined;
  if (!wasm.shared) return 'memory cannot be shared here (a page must be cross-origin isolated)';
  if (threadsAvailable(wasm, wanted) === wanted) return undefined;
  return problem ?? 'the worker threads are still starting';
}

/** The pool as it stands: worker threads alive and ready, and the calls they have shared. */
export function threadPoolState(): { workers: number; readyWorkers: number; parallelCalls: number } {
  const current = pool;
  const alive = current ? current.workers.filter((worker) => isAlive(current, worker)) : [];
  return {
    workers: alive.length,
    readyWorkers: current ? alive.filter((worker) => isUp(current, worker)).length : 0,
    parallelCalls,
  };
}

/** For specs: the pool's worker handles, in thread order (their identity shows a resize kept them). */
export function poolWorkerHandles(): readonly WorkerHandle[] {
  return pool?.workers.map((worker) => worker.handle) ?? [];
}

/** Runs kernel `name` on the argument block at `args` with `threads` threads (from threadsAvailable). */
export function runKernel(wasm: WasmInstance, name: KernelName, args: number, threads: number): void {
  const kernel = wasm.exports[name];
  const current = pool;
  if (threads <= 1 || !current) {
    kernel(args, 0, 1);
    return;
  }
  const { state } = current;
  parallelCalls++;
  Atomics.store(state, Control.kernel, kernelNames.indexOf(name));
  Atomics.store(state, Control.args, args);
  Atomics.store(state, Control.threads, threads);
  Atomics.store(state, Control.failed, 0);
  Atomics.store(state, Control.started, 0);
  for (let thread = 1; thread < threads; thread++) Atomics.store(state, workerSlot(thread, WorkerField.claim), 0);
  const generation = (Atomics.add(state, Control.generation, 1) + 1) | 0; // the slot wraps as an int32
  Atomics.notify(state, Control.generation);
  const finished = (worker: PoolWorker) => Atomics.load(state, workerSlot(worker.thread, WorkerField.finished)) === generation;
  const allFinished = () => current.workers.every((worker) => finished(worker) || !isAlive(current, worker));
  try {
    kernel(args, threads - 1, threads); // the last share: see the file comment
  } finally {
    // Even when this thread's share failed, the live workers must finish before the memory is
    // reused; a dead one never will, so it is not waited for. Workers that are computing their
    // shares usually finish within microseconds of this thread, sooner than a blocked thread is
    // woken: spin a while first. But not for a worker that has not even started: it has no core
    // (other processes hold them, or it waits for this very one), and spinning would only keep it out.
    const spinUntil = performance.now() + spinMs;
    const workersStarted = () => Atomics.load(state, Control.started) >= current.workers.length;
    while (!allFinished() && workersStarted() && performance.now() < spinUntil);
    waitUntil(state, Control.done, allFinished);
    lastJobEnd = performance.now();
  }
  const dead = deadWorker(current);
  if (dead) throw new Error(`wasm kernel ${name} failed: ${loseWorker(current, dead, name)}`);
  if (Atomics.load(state, Control.failed)) throw new Error(`wasm kernel ${name} failed in a worker thread`);
}
