/**
 * CallFrame: the wasm memory one kernel call uses, laid out by bumping an address from a fixed
 * base. A call copies its inputs in, reserves its outputs and workspace, runs, and copies its
 * outputs out; the next call's frame starts from the base again, so memory grows to the largest
 * call and is never fragmented. Kernel calls do not nest (the op API is synchronous), so one frame
 * at a time is all there is.
 */
import type { WasmInstance } from './instance';

/** The first 64 KiB stay unused: address 0 means "none" (e.g. no bias) in argument blocks. */
export const frameBase = 1 << 16;
const pageBytes = 1 << 16;
/** wasm32 addresses are 32-bit. */
const addressSpaceBytes = 2 ** 32;

export class CallFrame {
  private top = frameBase;

  constructor(private readonly wasm: WasmInstance) {}

  /** Reserves `bytes` (16-byte aligned, for v128 loads) and returns their address; grows the memory as needed. */
  reserve(bytes: number): number {
    const address = this.top;
    this.top += Math.ceil(bytes / 16) * 16;
    if (this.top > addressSpaceBytes) {
      throw new RangeError(`wasm backend: this call needs ${this.top} bytes of memory, more than wasm32's 4 GiB; use the js backend`);
    }
    const memory = this.wasm.memory;
    const missing = this.top - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / pageBytes));
    return address;
  }

  /** Copies `values` (float32 data, float64 per-channel vectors, i32 indices) into the frame and returns their address. */
  input(values: Float32Array | Float64Array | Int32Array): number {
    const address = this.reserve(values.byteLength);
    new Uint8Array(this.wasm.memory.buffer, address, values.byteLength).set(
      new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
    );
    return address;
  }

  /** Writes an i32 argument block (addresses and sizes) and returns its address. */
  args(values: readonly number[]): number {
    const address = this.reserve(values.length * 4);
    new Int32Array(this.wasm.memory.buffer, address, values.length).set(values);
    return address;
  }

  /** A view of `length` float32 values at `address` (made fresh: growing may replace the buffer). */
  float32(address: number, length: number): Float32Array {
    return new Float32Array(this.wasm.memory.buffer, address, length);
  }

  /** A view of `length` float64 values at `address` (made fresh, as float32's). */
  float64(address: number, length: number): Float64Array {
    return new Float64Array(this.wasm.memory.buffer, address, length);
  }

  /** A view of `length` i32 values at `address` (made fresh, as float32's). */
  int32(address: number, length: number): Int32Array {
    return new Int32Array(this.wasm.memory.buffer, address, length);
  }
}
