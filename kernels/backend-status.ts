/**
 * backendStatus(): what the kernels actually run on, which can differ from getBackend() — the
 * backend asked for — after a fallback (gpu.js or WebAssembly unavailable here), and how many
 * threads the wasm kernels use (fewer than asked on a page that is not cross-origin isolated).
 * Asking starts what it reports on: gpu.js' context, the wasm module, the worker threads.
 * gpuJsStatus() and wasmStatus() give each backend's details.
 */
import { type BackendName, getBackend } from './backend';
import { gpuJsStatus } from './gpujs/context';
import { wasmStatus } from './wasm/status';

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
  const wasm = wasmStatus();
  if (!wasm.available) return { selected, running: 'js', threads: 1, note: wasm.reason };
  const reason = wasm.singleThreadReason;
  if (reason === undefined) {
    const noThreads = nodeWithoutThreads();
    return { selected, running: selected, threads: wasm.threads, ...(noThreads === undefined ? {} : { note: noThreads }) };
  }
  return { selected, running: selected, threads: 1, note: `${wasm.threads} threads asked for, 1 running: ${reason}` };
}

/** The worker threads (and the core count) come from process.getBuiltinModule, which older Node lacks. */
function nodeWithoutThreads(): string | undefined {
  const node = globalThis.process?.versions?.node;
  if (node === undefined || typeof globalThis.process.getBuiltinModule === 'function') return undefined;
  return `worker threads unavailable: Node ${node} has no process.getBuiltinModule (Node 20.16, 22.3 and later have it)`;
}
