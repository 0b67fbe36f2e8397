/**
 * How many threads a wasm kernel call is worth, from measured costs: sharing a call with worker
 * threads costs a fixed overhead (handing out the job, the workers' start, waiting for the last
 * one, the worker reading from another core's cache what the caller just wrote), and saves the
 * part of the call's work the caller no longer computes. A call takes more threads only when the
 * time saved exceeds the overhead, so a batch-1 inference call stays on the calling thread.
 *
 * The constants were measured on the 2-core machine of docs/benchmarks.md ("How many threads a
 * call is worth", the run of 7 Dec 2026 at load average 2, per-unit costs over batch 16 and 64;
 * forkJoinNs and wakeNs in "Shares claimed one at a time", after the threads began claiming) by
 *
 *   npx tsx bench/thread-crossover.ts
 *
 * which prints them in this form. They choose only how many threads run a call, never how its
 * outputs are computed (docs/kernels.md), so results do not depend on them. They assume the cores
 * are free: other processes on them make sharing dearer, and the model does not see that.
 */
import type { wasmKernelFamilies } from './argument-blocks';

export type KernelFamily = keyof typeof wasmKernelFamilies;

/**
 * Nanoseconds per unit of work that one thread spends on the part of a call that threads share
 * (measured as twice what a second thread saves, overhead added back): per multiply-add for conv2d
 * and gemm (see gemmUnits), per input value for pooling and batch norm, per partial value (images ×
 * weights) for reduceImages, per weight for Adam (its constant from a later run at load 1.5, over
 * 50k and 200k weights: 0.99 and 1.55), per value for relu (forward and backward alike: one
 * thread's time per value on resident operands of 0.2M–0.8M values, 0.36–0.63 ns, at load 1.4,
 * where bench/thread-crossover.ts's second core was too busy to measure a gain). The part of a call no thread shares (copies in and out, JavaScript)
 * is not counted: it costs the same on any number of threads.
 */
export const nsPerUnit: Readonly<Record<KernelFamily, number>> = {
  conv2d: 0.12,
  gemm: 0.06,
  reduceImages: 0.3,
  maxPool2d: 0.3,
  avgPool2d: 1.9,
  batchNorm: 0.45,
  adam: 1.3,
  relu: 0.5,
  // maskProduct: one multiply per value over resident operands, as relu's loops; taken as relu's
  // cost, not measured on its own. bernoulliMask always runs on one thread (one stream).
  mask: 0.5,
};

/**
 * gemm's units of work for an m × k by k × n product: its multiply-adds, plus the packing of op(B)
 * into column strips (each thread packs its own), which costs about as much as 4 rows of A — what
 * makes a batch-1 linear layer worth more than its m·n·k multiply-adds.
 */
export const gemmUnits = (m: number, n: number, k: number): number => (m + 4) * n * k;

/**
 * What sharing a call with one more thread adds, in nanoseconds: with the workers still spinning
 * from the call before (hot), and asleep in Atomics.wait (cold: the caller's cost of waking them).
 */
export const forkJoinNs = { hot: 11600, cold: 23300 } as const;

/**
 * How long a sleeping worker takes to start on a job after it is woken, in nanoseconds (on the
 * 2-core virtual machine measured). The caller computes shares meanwhile, so a cold call gains only
 * on the part of its work that is left when the workers arrive.
 */
export const wakeNs = 25000;

/**
 * The shares a call is cut into per thread. The threads claim shares one at a time, so one that
 * arrives late or is slowed leaves its part to the others; the last share being computed is what
 * the caller may wait for. More shares balance better and cost a claim and a kernel entry each.
 */
export const sharesPerThread = 4;

/** How a call runs: on how many threads, its items cut into how many shares (assembly/share.ts). */
export interface Split {
  readonly threads: number;
  readonly shares: number;
}

/** A call on the calling thread, in one share: bernoulliMask's (one stream is one sequence). */
export const oneThread: Split = { threads: 1, shares: 1 };

/**
 * The shares of a call over `items` pieces on `threads` threads: one on one thread, else `perThread`
 * per thread (a kernel whose every share repeats some work asks for fewer), at most one piece each.
 */
export function sharesFor(items: number, threads: number, perThread = sharesPerThread): number {
  return threads <= 1 ? 1 : Math.max(1, Math.min(Math.floor(items), threads * perThread));
}

/**
 * How long a worker (and the caller, waiting for the workers) spins for the next job before it
 * sleeps, in milliseconds: long enough to span the gaps between the kernel calls of one training
 * step, short enough that an idle pool gives its core back at once.
 */
export const spinMs = 0.2;

let splitEveryCall = false;

/**
 * Specs and bench/thread-crossover.ts: `true` splits every call over as many threads as it has
 * items (up to the thread count), whatever its size — the small shapes of a spec must still
 * exercise the split; `false` (the default) lets the costs decide.
 */
export function setSplitEveryCall(on: boolean): void {
  splitEveryCall = on;
}

/**
 * The thread count, from 1 to `available`, that runs a call of `family` over `units` units of work
 * split into `items` equal pieces soonest: each thread takes whole pieces, so the slowest takes
 * ⌈items / threads⌉ of them. `hot`: the workers are still spinning from the call before; else they
 * join only after wakeNs, the caller computing alone until then.
 */
export function worthwhileThreads(family: KernelFamily, items: number, units: number, available: number, hot: boolean): number {
  const pieces = Math.max(1, Math.floor(items));
  const most = Math.min(available, pieces);
  if (splitEveryCall) return most;
  const pieceNs = (nsPerUnit[family] * units) / pieces;
  const aloneNs = pieceNs * pieces;
  const late = hot ? 0 : Math.min(wakeNs, aloneNs);
  const lateShare = late / aloneNs;
  let best = 1;
  let bestNs = aloneNs;
  for (let threads = 2; threads <= most; threads++) {
    const overhead = (hot ? forkJoinNs.hot : forkJoinNs.cold) * (threads - 1);
    const ns = overhead + late + pieceNs * Math.ceil((pieces * (1 - lateShare)) / threads);
    if (ns < bestNs) [best, bestNs] = [threads, ns];
  }
  return best;
}
