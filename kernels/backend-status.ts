/**
 * backendStatus(): what the kernels actually run on, which can differ from getBackend() — the
 * backend asked for — after a fallback (gpu.js or WebAssembly unavailable here), and how many
 * threads the wasm kernels use (fewer than asked on a page that is not cross-origin isolated).
 * Asking starts what it reports on: gpu.js' context, the wasm module, the worker threads.
 */
import { type BackendName, getBackend } from './backend';
import { gpuJsStatus } from './gpujs/context';
import { wasmInstance, wasmUnavailableReason } from './wasm/instance';
import { getNumThreads } from './wasm/thread-count';
import { threadProblem, threadsAvailable } from './wasm/thread-pool';

export interface BackendStatus {
  /** The backend asked for: setBackend(), DROPGRAD_BACKEND, or the default order. */
  selected: BackendName;
  /** The backend whose float32 kernels run: 'js' after a fallback. */
  running: BackendName;
  /** Threads the kernels use (the calling thread included); 1 except on wasm. */
  threads: number;
  /** Why `running` or `threads` is not what was asked for; absent when it is. */
  note?: string;
}

export function backendStatus(): BackendStatus {
  const selected = getBackend();
  if (selected === 'gpu.js') {
    const gpu = gpuJsStatus();
    return gpu.available ? { selected, running: selected, threads: 1 } : { selected, running: 'js', threads: 1, note: gpu.reason };
  }
  if (selected !== 'wasm') return { selected, running: selected, threads: 1 };
  const unavailable = wasmUnavailableReason();
  if (unavailable !== null) return { selected, running: 'js', threads: 1, note: unavailable };
  const wasm = wasmInstance();
  const wanted = getNumThreads();
  const threads = threadsAvailable(wasm, wanted);
  const problem = threadProblem(wasm, wanted);
  return problem === undefined
    ? { selected, running: selected, threads }
    : { selected, running: selected, threads, note: `${wanted} threads asked for: ${problem}` };
}
