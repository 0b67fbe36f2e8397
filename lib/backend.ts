/**
 * Kernel backend selection. Every kernel in kernels/ has up to three paths:
 *   'reference' — float64 plain loops, written to be read; the oracle for gradient checks;
 *   'js'        — fast TypeScript (im2col + blocked GEMM, …) in the tensor's own dtype;
 *   'gpu.js'    — gpu.js kernels (float32), worth it where a real WebGL/headless-gl context exists.
 * The choice comes from setBackend(), else the DROPGRAD_BACKEND environment variable, else 'js'.
 * (gpu.js is only chosen automatically when it reports a GPU context; see kernels/gpujs.)
 */
export type BackendName = 'reference' | 'js' | 'gpu.js';
export const backendNames: readonly BackendName[] = ['reference', 'js', 'gpu.js'];

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

export function getBackend(): BackendName {
  if (current === undefined) current = fromEnvironment() ?? 'js';
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
