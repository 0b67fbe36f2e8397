/**
 * releaseMemory(): gives back the wasm kernels' memory. A WebAssembly memory can grow but never
 * shrink, so it stays at the size of the most it held at once (147 MiB after one batch of 1024
 * small-CNN images, kept through later batches of 8). This drops the instance, its worker threads and
 * the recycling pool (whose arrays may live in that memory); the next wasm call starts a fresh module
 * on a fresh memory (and new workers, a few ms each). Tensors still living in the old memory keep it
 * until they are garbage.
 * It has no PyTorch counterpart beyond torch.cuda.empty_cache(), which likewise only returns
 * memory nothing is using.
 */
import { clearRecycled } from '../../base/dtype';
import { dropWasmInstance, wasmCallRunning } from './instance';
import { stopThreadPool } from './thread-pool';

export function releaseMemory(): void {
  if (wasmCallRunning()) {
    throw new Error('releaseMemory: a wasm kernel call is running; call it between kernel calls, not from inside one');
  }
  stopThreadPool();
  dropWasmInstance();
  clearRecycled();
}
