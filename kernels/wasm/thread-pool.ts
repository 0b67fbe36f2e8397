/**
 * The worker threads that share the wasm kernels' work, and the synchronous dispatch of one
 * kernel call across them. A call's items are cut into shares, a few per thread
 * (thread-cost.ts); the caller publishes the job on a shared control block (control.ts), on which
 * workers 1…n−1 wait, and then every thread, the caller included, claims shares one at a time
 * until none is left; the caller returns once every share is computed. Claiming instead of fixed
 * shares means that a worker that starts late — asleep when the job came (a woken one starts
 * ~25 µs later on the 2-core virtual machine measured, thread-cost.ts' wakeNs), or kept off its
 * core by another process — leaves its part to the threads already running instead of holding the
 * call up: the caller then waits at most for the shares already being computed.
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
import { type KernelFamily, type Split, sharesFor, spinMs, worthwhileThreads } from './thread-cost';
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
  // fewer leaves the rest idle (they take no part in it), instead of resizing the pool.
  const size = getNumThreads();
  const threads = Math.min(wanted, size);
  if (threads <= 1 || !wasm.shared) return 1;
  const current = poolFor(wasm, size);
  return current && allUp(current) && !deadWorker(current) ? threads : 1;
}

/**
 * How to run a call of `family` over `units` units of work (multiply-adds, or values: see
 * thread-cost.ts) that splits into `items` independent pieces: on as many threads as repay their
 * overhead (thread-cost.ts), at most one piece each, and in how many shares (`sharesPerThread` a
 * thread, or fewer for a kernel whose every share repeats some work).
 */
export function splitFor(wasm: WasmInstance, family: KernelFamily, items: number, units: number, perThread?: number): Split {
  const hot = performance.now() - lastJobEnd < spinMs;
  const threads = threadsAvailable(wasm, worthwhileThreads(family, items, units, getNumThreads(), hot));
  return { threads, shares: sharesFor(items, threads, perThread) };
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

/**
 * Runs kernel `name` on the argument block at `args`, its items cut into `split.shares` shares,
 * on `split.threads` threads (from splitFor; the caller's workspace is the last, threads − 1).
 */
export function runKernel(wasm: WasmInstance, name: KernelName, args: number, split: Split): void {
  const kernel = wasm.exports[name];
  const { threads, shares } = split;
  const current = pool;
  if (threads <= 1 || !current) {
    for (let share = 0; share < shares; share++) kernel(args, share, shares, 0);
    return;
  }
  const { state } = current;
  parallelCalls++;
  // Publish the job: an odd generation while its slots are written, the next even one once they are.
  const generation = (Atomics.add(state, Control.generation, 1) + 2) | 0; // the slot wraps as an int32
  Atomics.store(state, Control.kernel, kernelNames.indexOf(name));
  Atomics.store(state, Control.args, args);
  Atomics.store(state, Control.threads, threads);
  Atomics.store(state, Control.shares, shares);
  const first = Atomics.load(state, Control.nextShare);
  Atomics.store(state, Control.firstShare, first);
  Atomics.store(state, Control.sharesDone, 0);
  Atomics.store(state, Control.failed, 0);
  Atomics.store(state, Control.generation, generation);
  Atomics.notify(state, Control.generation);
  const claim = () => (Atomics.add(state, Control.nextShare, 1) - first) | 0;
  const allDone = () => Atomics.load(state, Control.sharesDone) >= shares;
  try {
    for (let share = claim(); share < shares; share = claim()) {
      kernel(args, share, shares, threads - 1);
      Atomics.add(state, Control.sharesDone, 1);
    }
  } catch (error) {
    // This thread's share failed: the job must still end, so the shares no one has claimed are
    // claimed here and counted without being computed.
    while (claim() < shares) Atomics.add(state, Control.sharesDone, 1);
    throw error;
  } finally {
    // The shares workers have claimed must be computed before the memory is reused (a dead
    // worker's never will be, so it is not waited for). They usually end within microseconds of
    // this thread's last one, sooner than a blocked thread is woken: spin a while first.
    const spinUntil = performance.now() + spinMs;
    while (!allDone() && performance.now() < spinUntil);
    waitUntil(state, Control.done, () => allDone() || deadWorker(current) !== undefined);
    lastJobEnd = performance.now();
  }
  const dead = deadWorker(current);
  if (dead) throw new Error(`wasm kernel ${name} failed: ${loseWorker(current, dead, name)}`);
  if (Atomics.load(state, Control.failed)) throw new Error(`wasm kernel ${name} failed in a worker thread`);
}
