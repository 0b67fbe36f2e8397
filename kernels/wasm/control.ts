/**
 * The slots of the Int32Array control block the calling thread and the workers share: a few for
 * the job, then four per worker thread (workerSlot) for its life, readiness, progress and claim.
 */
export const Control = {
  /** Bumped by the caller to hand out a new job; workers wait for it to change. */
  generation: 0,
  /** Index into kernelNames of the job's kernel. */
  kernel: 1,
  /** Address of the job's i32 argument block. */
  args: 2,
  /** How many threads (the caller's included) share the job. */
  threads: 3,
  /** Bumped (and notified) whenever a worker finishes a job or dies: the caller waits on it. */
  done: 4,
  /** Set by a worker whose kernel threw. */
  failed: 5,
  /** Bumped (and notified) when a worker has instantiated the module and waits for work. */
  ready: 6,
  /** Reset by the caller with each job, bumped by each worker as it starts the job. */
  started: 7,
  /** Bumped by a worker that saw a job whose share another had claimed (test/wasm-worker-protocol.spec.ts reads it). */
  duplicates: 8,
} as const;

/** Each worker's own slots, at workerSlot(thread, field). */
export const WorkerField = {
  /** The worker's id while the pool wants it; −1 once it died; 0 once retired (or never started). */
  life: 0,
  /** 1 once the worker waits for work. */
  up: 1,
  /** The generation of the last job the worker finished. */
  finished: 2,
  /**
   * 0 when the caller hands out a job; the first worker to write its id here computes the thread's
   * share, so a share is computed once even if a second worker on that thread (a retired one that
   * has not stopped yet) or a second wake of the same one sees the job.
   */
  claim: 3,
} as const;

const workerFields = Object.keys(WorkerField).length;

/** The most threads a pool can have (thread-count.ts caps requests at it). */
export const maximumThreads = 256;

const jobSlots = Object.keys(Control).length;

export function workerSlot(thread: number, field: number): number {
  return jobSlots + workerFields * thread + field;
}

export const controlSlots = workerSlot(maximumThreads, 0);
