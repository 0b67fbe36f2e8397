/**
 * CallFrame: the wasm memory one kernel call uses, laid out by bumping an address from a fixed
 * base. A call copies its inputs in, reserves its outputs and workspace, runs, and copies its
 * outputs out; the next call's frame starts from the base again, so memory grows to the largest
 * call and is never fragmented. Kernel calls do not nest (the op API is synchronous), so one frame
 * at a time is all there is.
 *
 * Inside reusingOperands(fn) (kernels/operand-reuse.ts) the calls share one frame, and an array
 * copied in once is not copied again: batch norm's two forward passes both read x, its two
 * backward passes dy and x, and conv2d's two backward passes dy. An array a call writes is
 * forgotten, so it is copied afresh if a later call reads it.
 */
import { type ArgumentBlock, type KernelName, slotNames } from './argument-blocks';
import type { WasmInstance } from './instance';

/** The first 64 KiB stay unused: address 0 means "none" (e.g. no bias) in argument blocks. */
export const frameBase = 1 << 16;
const pageBytes = 1 << 16;
/** wasm32 addresses are 32-bit. */
const addressSpaceBytes = 2 ** 32;

type Operand = Float32Array | Float64Array | Int32Array;

export class CallFrame {
  private top = frameBase;

  /** With `kept`, the frame remembers where each array it copied in lies (see the file comment). */
  constructor(
    readonly wasm: WasmInstance,
    private readonly kept?: Map<Operand, number>,
  ) {}

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
  input(values: Operand): number {
    const kept = this.kept?.get(values);
    if (kept !== undefined) return kept;
    const address = this.reserve(values.byteLength);
    new Uint8Array(this.wasm.memory.buffer, address, values.byteLength).set(
      new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
    );
    this.kept?.set(values, address);
    return address;
  }

  /** Copies `length` values of target's type at `address` into `target` from `offset` on. */
  output(address: number, target: Operand, length = target.length, offset = 0): void {
    this.kept?.delete(target);
    const View = target.constructor as new (buffer: ArrayBufferLike, byteOffset: number, length: number) => Operand;
    target.set(new View(this.wasm.memory.buffer, address, length), offset);
  }

  /** Writes `kernel`'s i32 argument block (sizes and addresses), its slots in their declared order, and returns its address. */
  args<K extends KernelName>(kernel: K, block: ArgumentBlock<K>): number {
    const named: Readonly<Record<string, number>> = block;
    const values = slotNames(kernel).map((name) => {
      const value = named[name];
      // An Int32Array stores undefined and NaN as 0, which reads as "no array": say so instead.
      if (!Number.isInteger(value)) {
        const got = value === undefined ? `is missing (got ${Object.keys(named).join(', ')})` : `is ${value}, not an integer`;
        throw new TypeError(`wasm kernel ${kernel}: argument '${name}' ${got}`);
      }
      return value;
    });
    const address = this.reserve(values.length * 4);
    new Int32Array(this.wasm.memory.buffer, address, values.length).set(values);
    return address;
  }
}

/** The frame of the reusingOperands scope being run, if any (made by its first kernel call). */
let session: { frame?: CallFrame } | undefined;

/** The frame for the next kernel call: a fresh one, or the current reusingOperands scope's. */
export function callFrame(wasm: WasmInstance): CallFrame {
  if (!session) return new CallFrame(wasm);
  if (session.frame?.wasm !== wasm) session.frame = new CallFrame(wasm, new Map());
  return session.frame;
}

/**
 * Runs `fn`, whose kernel calls share one frame and copy each array in at most once (see the file
 * comment). The caller promises that no array it passes is changed between those calls except by
 * the calls themselves. A scope inside another joins it.
 */
export function reusingOperands<T>(fn: () => T): T {
  if (session) return fn();
  session = {};
  try {
    return fn();
  } finally {
    session = undefined;
  }
}
