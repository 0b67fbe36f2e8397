/**
 * wasmStatus(): whether the wasm backend runs here, which of its modules and on how many threads,
 * the way gpuJsStatus() does for gpu.js. It is what a page shows its users (one thread unless
 * cross-origin isolated) and what the tests read to know that two threads really ran (parallelCalls
 * grows only when a kernel call was shared with worker threads).
 */
import { wasmInstance, wasmUnavailableReason } from './instance';
import type { WasmSimd } from './module-choice';
import { residentBytes } from './resident-storage';
import { getNumThreads } from './thread-count';
import { threadPoolState, threadProblem } from './thread-pool';

export type WasmStatus =
  | { available: false; reason: string }
  | {
      available: true;
      /** Whether the memory is shared, so that worker threads can run (Node; cross-origin isolated pages). */
      sharedMemory: boolean;
      /**
       * The module running: 'relaxed' fuses sgemm's multiply-adds (faster; rounds differently from
       * 'plain'), 'plain' does not. Each gives the same floats on any thread count.
       */
      simd: WasmSimd;
      /** Why the plain module runs: the engine has no relaxed SIMD, DROPGRAD_WASM_SIMD=plain, or one thread on a page. */
      plainSimdReason?: string;
      /** The threads asked for: setNumThreads(), DROPGRAD_THREADS or the number of cores (at most that). */
      threads: number;
      /** Why calls run on one thread although `threads` asked for more (on a page, until the workers are up). */
      singleThreadReason?: string;
      /** Worker threads alive (one that died is not counted), and those ready for work. */
      workers: number;
      readyWorkers: number;
      /** Kernel calls so far that ran on more than one thread. */
      parallelCalls: number;
      /** Bytes of wasm memory: the most it held at once so far, kept until releaseMemory(). */
      memoryBytes: number;
      /** Bytes of it holding tensors (op outputs living in the wasm memory, docs/kernels.md). */
      residentBytes: number;
    };

/** The wasm backend's state; starts the module (and the workers `threads` asks for) if not done yet. */
export function wasmStatus(): WasmStatus {
  const reason = wasmUnavailableReason();
  if (reason !== null) return { available: false, reason };
  const wasm = wasmInstance();
  const threads = getNumThreads();
  const singleThreadReason = threadProblem(wasm, threads);
  return {
    available: true,
    sharedMemory: wasm.shared,
    simd: wasm.simd,
    ...(wasm.plainSimdReason === undefined ? {} : { plainSimdReason: wasm.plainSimdReason }),
    threads,
    ...(singleThreadReason === undefined ? {} : { singleThreadReason }),
    ...threadPoolState(),
    memoryBytes: wasm.memory.buffer.byteLength,
    residentBytes: residentBytes(wasm),
  };
}
