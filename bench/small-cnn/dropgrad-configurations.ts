/**
 * What dropgrad's rows select before their steps run: a backend and, for wasm, a thread count. The
 * one place that maps backends to rows, for bench/train-step.ts and bench/infer.ts alike.
 */
import { getNumThreads, setBackend, setNumThreads } from '../../index';
import { type BackendName, backendNames } from '../../kernels/backend';
import { hasRealGpuContext } from '../../kernels/gpujs/context';
import { threadsName } from '../harness';

/** A row of the table: a name and everything to select before its steps run. */
export interface DropgradConfiguration {
  readonly name: string;
  /** Selects the backend (and the thread count); called before each round's steps. */
  readonly apply: () => void;
}

/** The cores here: the default thread count, read before any row changes it. */
export const cores = getNumThreads();

/** The wasm backend on `threads` threads. */
export function wasmConfiguration(threads: number): DropgradConfiguration {
  return {
    name: `dropgrad wasm, ${threadsName(threads)}`,
    apply: () => {
      setBackend('wasm');
      setNumThreads(threads);
    },
  };
}

/** The wasm rows' thread counts: one, and every core (one count where there is one core). */
export const threadCounts: readonly number[] = [...new Set([1, cores])];

/** The float64 reference oracle is not a contender; gpu.js is, where a real GPU backs it. */
const isContender = (name: BackendName): boolean => name !== 'reference' && (name !== 'gpu.js' || hasRealGpuContext());

/**
 * Every backend from backendNames but wasm (whose rows, one per thread count, the scripts make with
 * wasmConfiguration), so that a new backend gets its row with no change here.
 */
export function otherBackendConfigurations(): DropgradConfiguration[] {
  return backendNames
    .filter((name) => isContender(name) && name !== 'wasm')
    .map((name) => ({ name: `dropgrad ${name}`, apply: () => setBackend(name) }));
}
