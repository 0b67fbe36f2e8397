/**
 * How many threads the wasm kernels may use: setNumThreads(n), else the DROPGRAD_THREADS
 * environment variable, else the number of cores (Node's availableParallelism, a browser's
 * navigator.hardwareConcurrency). Results do not depend on it: every kernel computes each output
 * the same way whichever thread computes it.
 */
let requested: number | undefined;

function cores(): number {
  const nodeOs = globalThis.process?.getBuiltinModule?.('node:os') as typeof import('node:os') | undefined;
  const count =
    nodeOs?.availableParallelism?.() ?? (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return typeof count === 'number' && count >= 1 ? Math.floor(count) : 1;
}

function checkThreadCount(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 256) {
    // String(), not JSON.stringify, for numbers: JSON shows NaN and Infinity as null.
    const shown = typeof value === 'number' ? String(value) : JSON.stringify(value);
    throw new RangeError(`${where}: expected an integer from 1 to 256, got ${shown}`);
  }
  return value;
}

function fromEnvironment(): number | undefined {
  const value = globalThis.process?.env?.DROPGRAD_THREADS;
  if (value === undefined || value === '') return undefined;
  return checkThreadCount(/^\d+$/.test(value) ? Number(value) : value, 'DROPGRAD_THREADS');
}

/** The number of threads the wasm backend uses (the calling thread included). */
export function getNumThreads(): number {
  if (requested === undefined) requested = fromEnvironment() ?? cores();
  return requested;
}

/** Sets the number of threads the wasm backend uses (1 = the calling thread only). */
export function setNumThreads(count: number): void {
  requested = checkThreadCount(count, 'setNumThreads');
}
