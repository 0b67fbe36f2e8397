/** The slots of the Int32Array control block the calling thread and the workers share. */
export const Control = {
  /** Bumped by the caller to hand out a new job; workers wait for it to change. */
  generation: 0,
  /** Index into kernelNames of the job's kernel, or −1 to tell the workers to exit. */
  kernel: 1,
  /** Address of the job's i32 argument block. */
  args: 2,
  /** How many threads (the caller's included) share the job. */
  threads: 3,
  /** Workers that have finished the current job. */
  done: 4,
  /** Set by a worker whose kernel threw. */
  failed: 5,
  /** Workers that have instantiated the module and are waiting for work. */
  ready: 6,
} as const;

export const controlSlots = 7;
