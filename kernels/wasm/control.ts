/**
 * The slots of the Int32Array control block the calling thread and the workers share: a few for
 * the job, then three per worker thread (workerSlot) for its life, readiness and claim.
 */
export const Control = {
  /**
   * Bumped twice by the caller for each job: to an odd number before it writes the job's slots, to
   * the next even one once they are written (workers wait for it to change, and read a job only
   * between two equal even values of it).
   */
  generation: 0,
  /** Index into kernelNames of the job's kernel. */
  kernel: 1,
  /** Address of the job's i32 argument block. */
  args: 2,
  /** How many threads (the caller's included) may take part in the job. */
  threads: 3,
  /** How many shares the job's items are split into (kernels/wasm/assembly/share.ts). */
  shares: 4,
  /** The value of nextShare at which the job's shares start: share s is claimed as firstShare + s. */
  firstShare: 5,
  /**
   * The claim counter: a thread takes the next share by moving it on by one (a worker only while
   * it points inside its job's shares). It never goes back — each job starts where the last
   * ended — so a worker that read an old job can claim nothing of a new one.
   */
  nextShare: 6,
  /** Shares of the job computed so far (reset with each job). */
  sharesDone: 7,
  /** Bumped (and notified) when a worker computes a job's last share, or dies: the caller waits on it. */
  done: 8,
  /** Set by a worker whose kernel threw. */
  failed: 9,
  /** Bumped (and notified) when a worker has instantiated the module and waits for work. */
  ready: 10,
  /** Bumped by a worker that saw a job its thread was already taking part in (test/wasm-worker-protocol.spec.ts reads it). */
  duplicates: 11,
} as const;

/** Each worker's own slots, at workerSlot(thread, field). */
export const WorkerField = {
  /** The worker's id while the pool wants it; −1 once it died; 0 once retired (or never started). */
  life: 0,
  /** 1 once the worker waits for work. */
  up: 1,
  /**
   * The generation of the last job this thread took part in. A worker takes part in a job only if
   * it moves this to the job's generation first, so one thread's workspace is used by one worker
   * at a time even if a second worker on that thread (a retired one that has not stopped yet) or a
   * second wake of the same one sees the job.
   */
  claim: 2,
} as const;

const workerFields = Object.keys(WorkerField).length;

/** The most threads a pool can have (thread-count.ts caps requests at it). */
export const maximumThreads = 256;

const jobSlots = Object.keys(Control).length;

export function workerSlot(thread: number, field: number): number {
  return jobSlots + workerFields * thread + field;
}

export const controlSlots = workerSlot(maximumThreads, 0);
