/**
 * How many threads the wasm kernels may use: setNumThreads(n), else the DROPGRAD_THREADS
 * environment variable, else the number of cores (Node's availableParallelism, a browser's
 * navigator.hardwareConcurrency). Results do not depend on it: every kernel computes each output
 * the same way whichever thread computes it.
 *
 * A count above the number of cores is capped to it, with one warning: more threads than cores
 * only slow the kernels down, and each worker costs a thread and its memory (256 asked for on 2
 * cores took 11 s and 2 GB before). It is a cap and not an error so that a script written for a
 * larger machine still runs; PyTorch's set_num_threads likewise takes any positive count.
 */
import { maximumThreads } from './control';

let requested: number | undefined;
/** The count asked for when it was capped, for the status note. */
let cappedFrom: number | undefined;
let warnedAboutCap = false;
/** setNumThreads() calls so far: a pool that lost a worker tries again after the next one. */
let settings = 0;

function cores(): number {
  const nodeOs = globalThis.process?.getBuiltinModule?.('node:os') as typeof import('node:os') | undefined;
  const count =
    nodeOs?.availableParallelism?.() ?? (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return typeof count === 'number' && count >= 1 ? Math.floor(count) : 1;
}

function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n (a bigint)`;
  // String(), not JSON.stringify, for numbers: JSON shows NaN and Infinity as null.
  if (typeof value === 'number') return String(value);
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return String(value);
  return JSON.stringify(value);
}

function checkThreadCount(value: unknown, where: string): number {
  const expected = `${where}: expected an integer from 1 to ${maximumThreads}`;
  if (typeof value !== 'number') throw new TypeError(`${expected} (a number), got ${describe(value)}`);
  if (!Number.isInteger(value) || value < 1 || value > maximumThreads) throw new RangeError(`${expected}, got ${describe(value)}`);
  return value;
}

/** `count`, or the number of cores when it is more (after one warning). */
function capToCores(count: number, where: string): number {
  const available = cores();
  cappedFrom = count > available ? count : undefined;
  if (cappedFrom === undefined) return count;
  if (!warnedAboutCap) {
    warnedAboutCap = true;
    console.warn(
      `dropgrad: ${where} asked for ${count} threads; this machine has ${available} cores, so the wasm kernels use ${available}`,
    );
  }
  return available;
}

function fromEnvironment(): number | undefined {
  const value = globalThis.process?.env?.DROPGRAD_THREADS;
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value))
    throw new RangeError(`DROPGRAD_THREADS: expected an integer from 1 to ${maximumThreads}, got ${JSON.stringify(value)}`);
  return capToCores(checkThreadCount(Number(value), 'DROPGRAD_THREADS'), 'DROPGRAD_THREADS');
}

/** The number of threads the wasm backend uses (the calling thread included). */
export function getNumThreads(): number {
  if (requested === undefined) requested = fromEnvironment() ?? cores();
  return requested;
}

/**
 * Sets the number of threads the wasm backend uses (1 = the calling thread only), at most the
 * number of cores (see the file comment). The worker pool grows or shrinks to it on the next call.
 */
export function setNumThreads(count: number): void {
  requested = capToCores(checkThreadCount(count, 'setNumThreads'), 'setNumThreads');
  settings++;
}

export function setNumThreadsCalls(): number {
  return settings;
}

/** Why getNumThreads() is less than was asked for, or undefined. */
export function threadCapNote(): string | undefined {
  return cappedFrom === undefined ? undefined : `${cappedFrom} threads asked for, capped to the ${cores()} cores here`;
}
