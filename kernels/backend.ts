/**
 * Kernel backend selection. Every kernel in kernels/ has up to four paths:
 *   'reference' — float64 plain loops, written to be read; the oracle for gradient checks;
 *   'js'        — fast TypeScript (im2col + blocked GEMM, …) in the tensor's own dtype, the readable
 *                 path for learners and the fallback where WebAssembly is unavailable;
 *   'wasm'      — AssemblyScript compiled to WebAssembly SIMD (kernels/wasm/), on every core: float32
 *                 only; float64 tensors on this backend take the 'js' kernels;
 *   'gpu.js'    — gpu.js kernels (float32), worth it where a real WebGL/headless-gl context exists.
 * The choice comes from setBackend(), else the DROPGRAD_BACKEND environment variable, else 'gpu.js'
 * when gpu.js has a real GPU context here (WebGL, WebGL2, headless-gl), else 'wasm' where this
 * engine runs WebAssembly SIMD, else 'js': on a CPU, gpu.js' cpu/webasm modes are about ten times
 * slower than the 'js' kernels.
 *
 * The import of kernels/gpujs/context below does not load gpu.js: that module requires gpu.js on
 * first use, so only the first getBackend() without an explicit choice (to probe for a GPU) or a
 * gpu.js kernel pays for it, and a program that picks 'js' or 'reference' never loads it at all.
 * A static `import 'gpu.js'` here would load it (about 1 MB in a browser bundle) for every user at
 * import time; an injected probe would make the default depend on whether some other module had
 * been imported first.
 */
import { hasRealGpuContext } from './gpujs/context';
import { wasmUnavailableReason } from './wasm/instance';

export type BackendName = 'reference' | 'js' | 'wasm' | 'gpu.js';
export const backendNames: readonly BackendName[] = ['reference', 'js', 'wasm', 'gpu.js'];

function isBackendName(value: unknown): value is BackendName {
  return typeof value === 'string' && (backendNames as readonly string[]).includes(value);
}

function fromEnvironment(): BackendName | undefined {
  const value = typeof process !== 'undefined' ? process.env?.DROPGRAD_BACKEND : undefined;
  if (value === undefined || value === '') return undefined;
  if (!isBackendName(value)) {
    throw new RangeError(`DROPGRAD_BACKEND: expected one of ${backendNames.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value;
}

let current: BackendName | undefined;
/** Whether setBackend() or DROPGRAD_BACKEND chose `current` (rather than the default order). */
let chosen = false;

function defaultBackend(): BackendName {
  if (hasRealGpuContext()) return 'gpu.js';
  return wasmUnavailableReason() === null ? 'wasm' : 'js';
}

/**
 * Why the default is 'js' when nothing chose it and WebAssembly SIMD cannot run here (e.g. under
 * `ulimit -v`, where its memory cannot be reserved), else undefined.
 */
export function defaultBackendNote(): string | undefined {
  if (current !== 'js' || chosen) return undefined;
  const reason = wasmUnavailableReason();
  return reason === null ? undefined : `the wasm kernels cannot run here: ${reason}`;
}

export function getBackend(): BackendName {
  if (current === undefined) {
    const fromEnv = fromEnvironment();
    chosen = fromEnv !== undefined;
    current = fromEnv ?? defaultBackend();
  }
  return current;
}

export function setBackend(name: BackendName): void {
  if (!isBackendName(name)) {
    throw new RangeError(`setBackend: expected one of ${backendNames.join(', ')}, got ${JSON.stringify(name)}`);
  }
  current = name;
  chosen = true;
}

const returnsPromise =
  'withBackend: fn must be synchronous: the previous backend is restored when fn returns, before any await in it resumes; await inside a synchronous fn, or call setBackend() before and after the async code';

function isThenable(value: unknown): boolean {
  return (
    (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Runs fn with a backend selected, restoring the previous choice after (handy in tests). fn must
 * be synchronous: an async function is refused before it runs, and a promise returned by any other
 * after it ran (the choice is restored before its awaits resume, so they would run on the old one).
 */
export function withBackend<T>(name: BackendName, fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError(`withBackend: expected a function, got ${fn === null ? 'null' : typeof fn}`);
  if (fn.constructor.name === 'AsyncFunction') {
    throw new TypeError(`${returnsPromise} (got an async function)`);
  }
  const previous = getBackend();
  const previousChosen = chosen;
  setBackend(name);
  let result: T;
  try {
    result = fn();
  } finally {
    current = previous;
    chosen = previousChosen;
  }
  if (isThenable(result)) throw new TypeError(`${returnsPromise} (it returned a promise)`);
  return result;
}
