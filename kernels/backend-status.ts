/**
 * backendStatus(): what the kernels actually run on, which can differ from getBackend() — the
 * backend asked for — after a fallback (gpu.js or WebAssembly unavailable here), for float64
 * tensors (the wasm kernels are float32 only), and how many threads the wasm kernels use (fewer
 * than asked on a page that is not cross-origin isolated, above the number of cores, or after a
 * worker died). Asking starts what it reports on: gpu.js' context, the wasm module, the worker
 * threads. gpuJsStatus() and wasmStatus() give each backend's details.
 */
import type { DType } from '../base/dtype';
import { type BackendName, defaultBackendNote, getBackend } from './backend';
import { gpuJsStatus } from './gpujs/context';
import type { WasmSimd } from './wasm/module-choice';
import { wasmStatus } from './wasm/status';
import { threadCapNote } from './wasm/thread-count';

export interface BackendStatus {
  /** The backend asked for: setBackend(), DROPGRAD_BACKEND, or the default order. */
  selected: BackendName;
  /** The backend whose kernels run: 'js' after a fallback, or for float64 tensors on 'wasm'. */
  running: BackendName;
  /** Threads the kernels use (the calling thread included); 1 except on wasm. */
  threads: number;
  /** When `running` is 'wasm': its module, 'relaxed' (fused multiply-adds) or 'plain' (see wasmStatus()). */
  simd?: WasmSimd;
  /** Why `running` or `threads` is not what was asked for (or why the default is not faster); absent when it is. */
  note?: string;
}

export interface BackendStatusOptions {
  /** The dtype of the tensors the kernels will run on (default float32, the one every backend accelerates). */
  dtype?: DType;
}

function checkOptions(options: BackendStatusOptions): DType {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`backendStatus: expected an options object, got ${options === null ? 'null' : typeof options}`);
  }
  for (const key of Object.keys(options)) {
    if (key !== 'dtype') throw new TypeError(`backendStatus: unknown option ${JSON.stringify(key)} (expected dtype)`);
  }
  const { dtype = 'float32' } = options;
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new TypeError(`backendStatus: dtype must be 'float32' or 'float64', got ${JSON.stringify(dtype)}`);
  }
  return dtype;
}

const withNote = (status: BackendStatus, note: string | undefined): BackendStatus => (note === undefined ? status : { ...status, note });

export function backendStatus(options: BackendStatusOptions = {}): BackendStatus {
  const dtype = checkOptions(options);
  const selected = getBackend();
  if (selected === 'gpu.js') {
    const gpu = gpuJsStatus();
    return gpu.available ? { selected, running: selected, threads: 1 } : { selected, running: 'js', threads: 1, note: gpu.reason };
  }
  if (selected !== 'wasm') return withNote({ selected, running: selected, threads: 1 }, defaultBackendNote());
  const wasm = wasmStatus();
  if (!wasm.available) return { selected, running: 'js', threads: 1, note: wasm.reason };
  if (dtype === 'float64') {
    return {
      selected,
      running: 'js',
      threads: 1,
      note: 'float64 tensors run the js kernels on one thread (the wasm kernels are float32 only)',
    };
  }
  const reason = wasm.singleThreadReason;
  const running = { selected, running: selected, threads: reason === undefined ? wasm.threads : 1, simd: wasm.simd };
  return withNote(
    running,
    reason === undefined ? (threadCapNote() ?? nodeWithoutThreads()) : `${wasm.threads} threads asked for, 1 running: ${reason}`,
  );
}

/** The worker threads (and the core count) come from process.getBuiltinModule, which older Node lacks. */
function nodeWithoutThreads(): string | undefined {
  const node = globalThis.process?.versions?.node;
  if (node === undefined || typeof globalThis.process.getBuiltinModule === 'function') return undefined;
  return `worker threads unavailable: Node ${node} has no process.getBuiltinModule (Node 20.16, 22.3 and later have it)`;
}
