/**
 * Kernel backend selection. Every kernel in kernels/ has up to three paths:
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

function defaultBackend(): BackendName {
  if (hasRealGpuContext()) return 'gpu.js';
  return wasmUnavailableReason() === null ? 'wasm' : 'js';
}

export function getBackend(): BackendName {
  if (current === undefined) current = fromEnvironment() ?? defaultBackend();
  return current;
}

export function setBackend(name: BackendName): void {
  if (!isBackendName(name)) {
    throw new RangeError(`setBackend: expected one of ${backendNames.join(', ')}, got ${JSON.stringify(name)}`);
  }
  current = name;
}

/** Runs fn with a backend selected, restoring the previous choice after (handy in tests). */
export function withBackend<T>(name: BackendName, fn: () => T): T {
  const previous = getBackend();
  setBackend(name);
  try {
    return fn();
  } finally {
    current = previous;
  }
}
