/**
 * releaseMemory(): gives back the wasm kernels' memory. A WebAssembly memory can grow but never
 * shrink, and each call lays its operands out from the same base (call-frame.ts), so the memory
 * stays at the size of the largest call made so far (147 MiB after one batch of 1024 small-CNN
 * images, kept through later batches of 8). This drops the instance and its worker threads; the
 * next wasm call starts a fresh module on a fresh memory (and new workers, a few ms each).
 * It has no PyTorch counterpart beyond torch.cuda.empty_cache(), which likewise only returns
 * memory nothing is using.
 */
import { dropWasmInstance, wasmCallRunning } from './instance';
import { stopThreadPool } from './thread-pool';

export function releaseMemory(): void {
  if (wasmCallRunning()) {
    throw new Error('releaseMemory: a wasm kernel call is running; call it between kernel calls, not from inside one');
  }
  stopThreadPool();
  dropWasmInstance();
}
