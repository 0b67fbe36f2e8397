/**
 * Float32 tensor storage (and index arrays only the core reads: allocateIndices, base/dtype.ts) that
 * lives in the wasm memory, so that a kernel reads its inputs and writes its outputs in place instead
 * of copying them in and out (call-frame.ts). docs/kernels.md
 * ("Operands that stay in wasm memory") gives the design; in short:
 *
 * - Who gets it: allocate('float32', n) (base/dtype.ts) asks `residentFloat32` first, which answers
 *   only when the wasm backend is selected, its memory is shared (a grown shared memory never
 *   detaches the views on it; an unshared one would), n is large enough for a copy to matter, and
 *   the resident bytes stay under `residentCapBytes`. Otherwise the array is an ordinary one and
 *   kernel calls copy it, as before. allocateIndices asks `residentInt32` on the same terms.
 * - When its block is reused: when recycle() (recycleIndices()) is given the array (the autograd
 *   engine, chains of layers and ops' discard prove it dead, deterministically), else when the array object is garbage (a
 *   FinalizationRegistry gives the block back to the heap). Nothing has to be disposed by hand.
 * - What a user sees: never such an array. The public accessors (Tensor's data, storage,
 *   contiguousData) first move a resident storage to an ordinary array (lib/tensor.ts), so a view a
 *   user keeps, or its `.buffer`, cannot reach the wasm memory and another tensor's bytes.
 * - The cap bounds the memory while the garbage collector has not yet run: past it, allocate hands
 *   out ordinary arrays, whose memory is what makes V8 collect, which frees blocks again.
 */
import { type TypedArray, setResidentSource } from '../../base/dtype';
import { getBackend } from '../backend';
import type { BlockAllocator } from './block-allocator';
import { heapOf } from './heap';
import { type WasmInstance, currentWasmInstance } from './instance';

/** Below 4096 values (16 KiB) a copy costs less than the bookkeeping. */
const minResidentLength = 4096;
/** Resident storage at most: 512 MiB, beyond what a step of the small CNN at batch 1024 holds. */
export const residentCapBytes = 512 * 2 ** 20;

interface Block {
  readonly wasm: WasmInstance;
  readonly heap: BlockAllocator;
  readonly address: number;
  readonly bytes: number;
  /** Given back (giveBack): the array must not be used again, and its finalizer is gone. */
  released: boolean;
}

/** The array types that may live there: float32 storage, int32 indices. */
type ResidentArray = Float32Array | Int32Array;

const blocks = new WeakMap<ResidentArray, Block>();
/** Per heap: the resident bytes in use. */
const residentBytesOf = new WeakMap<BlockAllocator, number>();

function release(block: Block): void {
  block.released = true;
  block.heap.release(block.address);
  residentBytesOf.set(block.heap, (residentBytesOf.get(block.heap) ?? 0) - block.bytes);
}

const reclaim = new FinalizationRegistry<Block>(release);

/**
 * A `View` (Float32Array or Int32Array) of `length` in the wasm memory, zero-filled when `zeroed`,
 * else holding what the block last held, or undefined when it should be an ordinary one (see the
 * file comment).
 */
function residentArray<T extends ResidentArray>(
  View: new (buffer: ArrayBufferLike, byteOffset: number, length: number) => T,
  length: number,
  zeroed: boolean,
): T | undefined {
  if (length < minResidentLength || getBackend() !== 'wasm') return undefined;
  const wasm = currentWasmInstance();
  if (!wasm?.shared) return undefined;
  const heap = heapOf(wasm);
  const bytes = length * 4;
  const inUse = residentBytesOf.get(heap) ?? 0;
  if (inUse + bytes > residentCapBytes) return undefined;
  const taken = heap.allocate(bytes);
  if (taken === undefined) return undefined;
  const { address } = taken;
  const array = new View(wasm.memory.buffer, address, length);
  if (zeroed && !taken.fresh) array.fill(0);
  residentBytesOf.set(heap, inUse + bytes);
  const block = { wasm, heap, address, bytes, released: false };
  blocks.set(array, block);
  reclaim.register(array, block, block);
  return array;
}

/** A Float32Array of `length` in the wasm memory (zero-filled when `zeroed`), or undefined when it should be an ordinary one. */
export function residentFloat32(length: number, zeroed = true): Float32Array | undefined {
  return residentArray(Float32Array, length, zeroed);
}

/** An Int32Array of `length` in the wasm memory, holding what its block last held, or undefined when it should be an ordinary one. */
export function residentInt32(length: number): Int32Array | undefined {
  return residentArray(Int32Array, length, false);
}

/**
 * Takes back `array` when it lives in the wasm memory (recycle() was given it: nothing reads or
 * writes it any more): its block goes back to the heap now, not when the collector finds it.
 * False for an ordinary array, which recycle() keeps in its pool.
 */
function giveBack(array: TypedArray | Int32Array): boolean {
  const block = array instanceof Float64Array ? undefined : blocks.get(array);
  if (block === undefined) return false;
  if (!block.released) {
    reclaim.unregister(block);
    release(block);
  }
  return true;
}

/** Whether `array` lives in a wasm memory (this instance's or a released one's). */
export function isResident(array: unknown): boolean {
  return (array instanceof Float32Array || array instanceof Int32Array) && blocks.has(array);
}

/** The address of `array` in `wasm`'s memory when it lives there, else undefined (it must be copied in). */
export function residentAddress(array: Float32Array | Float64Array | Int32Array, wasm: WasmInstance): number | undefined {
  if (array instanceof Float64Array) return undefined;
  const block = blocks.get(array);
  return block?.wasm === wasm && !block.released ? block.address : undefined;
}

/** Resident bytes in the current instance's memory (for wasmStatus). */
export function residentBytes(wasm: WasmInstance): number {
  return residentBytesOf.get(heapOf(wasm)) ?? 0;
}

setResidentSource({ take: residentFloat32, takeIndices: residentInt32, giveBack });
