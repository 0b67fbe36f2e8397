/**
 * CallFrame: the wasm memory one kernel call uses. An operand whose storage lives in the wasm memory
 * (resident-storage.ts) is read and written where it is; any other is copied into a block of the
 * heap (heap.ts) and, for an output, copied out after the call. A frame's blocks — copies, argument
 * blocks, workspace — go back to the heap when the call ends (endCall), or when the reusingOperands
 * scope sharing them ends, so the memory they take is that of the largest call, reused.
 *
 * Inside reusingOperands(fn) (kernels/operand-reuse.ts) the calls share one frame, and an array
 * copied in once is not copied again: batch norm's two backward passes outside training (with
 * running statistics) both read dy and x, and conv2d's two backward passes dy. An array a call writes is
 * forgotten, so it is copied afresh if a later call reads it.
 */
import { type ArgumentBlock, type KernelName, slotNames } from './argument-blocks';
import { allocateForCall, heapOf } from './heap';
import type { WasmInstance } from './instance';
import { residentAddress } from './resident-storage';

type Operand = Float32Array | Float64Array | Int32Array;

export class CallFrame {
  /** The blocks this frame took from the heap, given back by release(). */
  private readonly blocks: number[] = [];

  /** With `kept`, the frame remembers where each array it copied in lies (see the file comment). */
  constructor(
    readonly wasm: WasmInstance,
    private readonly kept?: Map<Operand, number>,
  ) {}

  /** Reserves `bytes` (16-byte aligned, for v128 loads) for this call and returns their address. */
  reserve(bytes: number): number {
    const address = allocateForCall(this.wasm, bytes);
    this.blocks.push(address);
    return address;
  }

  /**
   * The address of `values` (float32 data, float64 per-channel vectors, i32 indices), from `offset`
   * on for `length` values: where it lives when it lives in the wasm memory, else a copy.
   */
  input(values: Operand, offset = 0, length = values.length - offset): number {
    const resident = residentAddress(values, this.wasm);
    if (resident !== undefined) return resident + offset * values.BYTES_PER_ELEMENT;
    const part = offset === 0 && length === values.length ? values : values.subarray(offset, offset + length);
    const kept = this.kept?.get(part);
    if (kept !== undefined) return kept;
    const address = this.reserve(part.byteLength);
    new Uint8Array(this.wasm.memory.buffer, address, part.byteLength).set(new Uint8Array(part.buffer, part.byteOffset, part.byteLength));
    this.kept?.set(part, address);
    return address;
  }

  /** Where a kernel writes `target` (its values from `offset` on): in place when it lives in the wasm memory, else a block output() copies out. */
  outputAt(target: Operand, offset = 0, length = target.length - offset): number {
    const resident = residentAddress(target, this.wasm);
    return resident !== undefined ? resident + offset * target.BYTES_PER_ELEMENT : this.reserve(length * target.BYTES_PER_ELEMENT);
  }

  /** Copies `length` values of target's type at `address` into `target` from `offset` on, unless the kernel wrote them there in place. */
  output(address: number, target: Operand, length = target.length, offset = 0): void {
    this.kept?.delete(target);
    const resident = residentAddress(target, this.wasm);
    if (resident !== undefined && resident + offset * target.BYTES_PER_ELEMENT === address) return;
    const View = target.constructor as new (buffer: ArrayBufferLike, byteOffset: number, length: number) => Operand;
    target.set(new View(this.wasm.memory.buffer, address, length), offset);
  }

  /**
   * Writes `kernel`'s i32 argument block (sizes and addresses), its slots in their declared order,
   * and returns its address. The slots are read from `block`, or from `own` and else `shared` (a
   * geometry every call of a family shares, read where it lies: merging the two into one object
   * took 10 µs a conv call).
   */
  args<K extends KernelName>(kernel: K, block: ArgumentBlock<K>): number;
  args<K extends KernelName>(kernel: K, shared: object, own: Partial<ArgumentBlock<K>>): number;
  args(kernel: KernelName, first: object, second?: object): number {
    const names = slotNames(kernel);
    const [shared, own] = [first as Readonly<Record<string, unknown>>, (second ?? {}) as Readonly<Record<string, unknown>>];
    if (scratchSlots.length < names.length) scratchSlots = new Int32Array(names.length);
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      const value = name in own ? own[name] : shared[name];
      // An Int32Array stores undefined and NaN as 0, which reads as "no array": say so instead.
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        const given = [...Object.keys(shared), ...Object.keys(own)].join(', ');
        const got = value === undefined ? `is missing (got ${given})` : `is ${value}, not an integer`;
        throw new TypeError(`wasm kernel ${kernel}: argument '${name}' ${got}`);
      }
      scratchSlots[i] = value;
    }
    const address = this.reserve(names.length * 4);
    new Int32Array(this.wasm.memory.buffer, address, names.length).set(scratchSlots.subarray(0, names.length));
    return address;
  }

  /** Gives this frame's blocks back to the heap. */
  release(): void {
    const heap = heapOf(this.wasm);
    for (const address of this.blocks.splice(0)) heap.release(address);
  }
}

/** Where args() checks a block's slots before writing them, so that a bad one is refused before anything is reserved. */
let scratchSlots = new Int32Array(32);

/** The frame of the reusingOperands scope being run, if any (made by its first kernel call). */
let session: { frame?: CallFrame } | undefined;
/** The running call's frame, outside any scope. */
let current: CallFrame | undefined;

/** The frame for the next kernel call: a fresh one, or the current reusingOperands scope's. */
export function callFrame(wasm: WasmInstance): CallFrame {
  if (!session) {
    current = new CallFrame(wasm);
    return current;
  }
  if (session.frame?.wasm !== wasm) {
    session.frame?.release();
    session.frame = new CallFrame(wasm, new Map());
  }
  return session.frame;
}

/** Ends a kernel call (wasmOrJs calls it): its frame's blocks go back to the heap, unless a scope still shares them. */
export function endCall(): void {
  current?.release();
  current = undefined;
}

/**
 * Runs `fn`, whose kernel calls share one frame and copy each array in at most once (see the file
 * comment). The caller promises that no array it passes is changed between those calls except by
 * the calls themselves. A scope inside another joins it.
 */
export function reusingOperands<T>(fn: () => T): T {
  if (session) return fn();
  const scope: { frame?: CallFrame } = {};
  session = scope;
  try {
    return fn();
  } finally {
    session = undefined;
    scope.frame?.release();
  }
}
