/**
 * The wasm memory's heap: one buddy allocator (block-allocator.ts) per module instance, serving
 * both kinds of blocks the memory holds — a kernel call's temporaries (copied-in operands, outputs
 * that are copied out, workspace; call-frame.ts gives them back when the next call starts) and the
 * storage of float32 tensors that live in the memory (resident-storage.ts). The first 64 KiB stay
 * unused: address 0 means "none" (e.g. no bias) in argument blocks, and the module's own data and
 * stack sit below.
 */
import { BlockAllocator } from './block-allocator';
import type { WasmInstance } from './instance';

export const heapStart = 1 << 16;
const pageBytes = 1 << 16;
/** The largest block: 2 GiB, half of what wasm32 addresses (the heap is a power of two from 64 KiB). */
const maxOrder = 31;

const heaps = new WeakMap<WasmInstance, BlockAllocator>();

/** The instance's allocator, made on first use; it grows the memory to the end of each block it hands out. */
export function heapOf(wasm: WasmInstance): BlockAllocator {
  let heap = heaps.get(wasm);
  if (!heap) {
    const memory = wasm.memory;
    heap = new BlockAllocator(heapStart, maxOrder, (end) => {
      const missing = end - memory.buffer.byteLength;
      if (missing > 0) memory.grow(Math.ceil(missing / pageBytes));
    });
    heaps.set(wasm, heap);
  }
  return heap;
}

/** A block of `bytes` for a kernel call; a call larger than the heap is refused with the js backend as the way out. */
export function allocateForCall(wasm: WasmInstance, bytes: number): number {
  const block = heapOf(wasm).allocate(bytes);
  if (block === undefined) {
    throw new RangeError(
      `wasm backend: this call needs a block of ${bytes} bytes, more than the wasm memory has free (at most 2 GiB a block, 4 GiB in all); use the js backend`,
    );
  }
  return block.address;
}
