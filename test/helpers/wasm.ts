/** What the specs of the wasm backend share: its memory poisoned, its workers awaited, its shared calls counted. */
import { expect } from 'chai';
import { getNumThreads, setNumThreads, wasmStatus } from '../../index';
import { heapOf } from '../../kernels/wasm/heap';
import { wasmInstance, wasmUnavailableReason } from '../../kernels/wasm/instance';

/**
 * Fills the free part of the wasm heap (kernels/wasm/heap.ts) with NaN. A call's blocks are the ones
 * the previous, similar call used, so an output entry that a wasm kernel forgot to write would
 * otherwise be copied out holding what that call left there — often the right value — and a
 * spec's NaN-filled destination would not show it. Blocks in use (tensors living in the wasm
 * memory) are left alone. Call it before each wasm call checked.
 */
export function poisonWasmMemory(): void {
  const wasm = wasmInstance();
  const size = wasm.memory.buffer.byteLength;
  const heap = heapOf(wasm);
  heap.touch(size); // the heap no longer takes the memory above its blocks for zero
  for (const [address, bytes] of heap.freeBlocks()) {
    if (address < size) new Float32Array(wasm.memory.buffer, address, (Math.min(size, address + bytes) - address) / 4).fill(Number.NaN);
  }
}

/** Kernel calls so far that were shared with worker threads; throws where the wasm backend is unavailable. */
export function parallelCalls(): number {
  const status = wasmStatus();
  if (!status.available) throw new Error(`the wasm backend is unavailable: ${status.reason}`);
  return status.parallelCalls;
}

/**
 * Starts the workers for `threads` threads and waits until they are ready. Node waits for them only
 * 2 s before running calls on one thread; on a loaded machine that would quietly turn a two-thread
 * check into a one-thread one.
 */
export async function wasmWorkersReady(threads: number, timeoutMs = 20000): Promise<void> {
  const threadsBefore = getNumThreads();
  setNumThreads(threads);
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = wasmStatus();
      if (!status.available) throw new Error(`the wasm backend is unavailable: ${status.reason}`);
      if (status.workers === threads - 1 && status.readyWorkers === status.workers) return;
      if (Date.now() > deadline) throw new Error(`the wasm workers are not ready after ${timeoutMs} ms: ${JSON.stringify(status)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    setNumThreads(threadsBefore);
  }
}

/**
 * The hooks of a spec that checks wasm kernels against the reference on 1 and 2 threads: before
 * it, the backend must be available (the kernels fall back to js where WebAssembly SIMD is
 * missing, which must not pass as parity) and two threads' workers ready; after it, the thread
 * count is restored. Returns how many kernel calls were shared with a worker since.
 */
export function wasmParityHooks(): () => number {
  const threadsBefore = getNumThreads();
  let callsBefore = 0;
  before(async () => {
    expect(wasmUnavailableReason(), 'the wasm backend is available').to.equal(null);
    await wasmWorkersReady(2);
    callsBefore = parallelCalls();
  });
  after(() => setNumThreads(threadsBefore));
  return () => parallelCalls() - callsBefore;
}
