/** The element types a Tensor can hold. float64 is the default: gradient checks need it. */
export type DType = 'float64' | 'float32';
export type TypedArray = Float64Array | Float32Array;

export function isDType(value: unknown): value is DType {
  return value === 'float64' || value === 'float32';
}

/** Refuses an unknown dtype (a layer checks at construction; `where` names the caller). */
export function checkDType(dtype: DType, where?: string): DType {
  if (isDType(dtype)) return dtype;
  throw new TypeError(`${where ? `${where}: ` : ''}dtype must be 'float64' or 'float32', got ${JSON.stringify(dtype) ?? String(dtype)}`);
}

/**
 * Arrays given back with recycle(), by dtype and length, for allocate() to hand out again.
 *
 * Why: the first write to a fresh typed array is slow — the OS maps and zeroes its memory page by
 * page, measured at ~3 ns per float32 element here, more than relu's whole loop — and a training
 * step of the small CNN (float32, batch 64) made ~28 MB of fresh arrays, which also has V8 run a
 * full garbage collection about once a step. Only the autograd engine recycles, and only
 * gradients nothing else can reach (see propagate in lib/autograd.ts) and activations only a chain
 * of layers held (lib/chain-activations.ts). Small arrays are cheap to make and are not kept; at most
 * eight of each length are, and 128 MiB in all, so that batch sizes that vary do not pile up arrays
 * of lengths never asked for again. Arrays living in the wasm memory are not kept here: their
 * blocks go straight back to its heap, which merges them whatever their sizes.
 */
const recycled = new Map<string, TypedArray[]>();
const keptPerLength = 8;
const keptBytes = 128 * 2 ** 20;
let recycledBytes = 0;
const minRecycledLength = 4096;
/** While trackAllocations runs: every array allocate() hands out. */
let tracked: Set<TypedArray> | null = null;

/**
 * Where the float32 outputs of ops (and the index arrays only the core reads, allocateIndices) may
 * come from before the JavaScript heap: the wasm backend installs its memory here
 * (kernels/wasm/resident-storage.ts), so that its kernels read and write them in place. `take` and
 * `takeIndices` answer undefined when an ordinary array should be made; `giveBack` takes back one of
 * its own arrays that recycle() or recycleIndices() was given (true), or declines an ordinary one
 * (false). Only arrays allocated while an op runs (inOp), and those only the core reads and writes
 * (allocateForKernels: Adam's state), come from it: tensors a user makes, parameters and gradients
 * stay ordinary arrays.
 */
export interface ResidentSource {
  /** An array of `length`, zero-filled when `zeroed`, else holding whatever its memory held. */
  take(length: number, zeroed: boolean): Float32Array | undefined;
  /** An Int32Array of `length` holding whatever its memory held. */
  takeIndices(length: number): Int32Array | undefined;
  giveBack(array: TypedArray | Int32Array): boolean;
}
let residentSource: ResidentSource | undefined;
let opsRunning = 0;

export function setResidentSource(source: ResidentSource): void {
  residentSource = source;
}

/** Runs `fn`, an op's forward or backward (lib/define-op.ts), whose float32 allocations may come from the source. */
export function inOp<T>(fn: () => T): T {
  opsRunning++;
  try {
    return fn();
  } finally {
    opsRunning--;
  }
}

/** A zero-filled array of `dtype`; an unknown dtype is refused here, where every layer and op allocates (not silently float32). */
export function allocate(dtype: DType, size: number): TypedArray {
  return allocateArray(dtype, size, true);
}

/**
 * allocate() for an output its op writes in full before anything reads it: an array reused from
 * the pool or the wasm heap keeps its old numbers instead of being zeroed first — a pass over every
 * op output, 8 ms of a 49 ms training step of the small CNN. The kernels it serves are checked to
 * write every element (their specs fill the destination with NaN first).
 */
export function allocateUnfilled(dtype: DType, size: number): TypedArray {
  return allocateArray(dtype, size, false);
}

function allocateArray(dtype: DType, size: number, zeroed: boolean): TypedArray {
  checkDType(dtype);
  // The float32 source first: an ordinary array from the pool (one the js backend left there) would
  // be copied into and out of every wasm kernel call that used it — a batch-64 step of the small CNN
  // took 51 ms instead of 40 on one thread when js steps ran between its rounds.
  const source = dtype === 'float32' && opsRunning > 0 ? residentSource?.take(size, zeroed) : undefined;
  const reused = source === undefined && size >= minRecycledLength ? recycled.get(`${dtype}:${size}`)?.pop() : undefined;
  if (reused) recycledBytes -= reused.byteLength;
  const array =
    source ?? (reused ? (zeroed ? reused.fill(0) : reused) : dtype === 'float64' ? new Float64Array(size) : new Float32Array(size));
  tracked?.add(array);
  return array;
}

/**
 * A zero-filled array of `dtype` that may come from the float32 source as an op's output does: for
 * arrays the core alone reads and writes, for as long as their owner lives (Adam's state), so that
 * kernels use them in place. Its block goes back when recycle() is given it or it is garbage.
 */
export function allocateForKernels(dtype: DType, size: number): TypedArray {
  return inOp(() => allocate(dtype, size));
}

/** A zero-filled array of `dtype` on the JavaScript heap, never from the float32 source (for arrays handed to users). */
export function allocateOnHeap(dtype: DType, size: number): TypedArray {
  checkDType(dtype);
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

/**
 * An Int32Array of `size` that only the core reads and writes, and whose every element a kernel
 * writes before any is read (max pooling's argmax, saved for its backward). While an op runs on the
 * wasm backend it lives in the wasm memory, so the kernels write and read it in place instead of
 * copying it out after the forward and in again for the backward; else it is an ordinary array.
 * Its owner gives it back with recycleIndices once nothing will read it, or it goes back when it
 * is garbage.
 */
export function allocateIndices(size: number): Int32Array {
  return (opsRunning > 0 ? residentSource?.takeIndices(size) : undefined) ?? new Int32Array(size);
}

/** Gives back an array from allocateIndices: the caller guarantees nothing will read or write it any more. */
export function recycleIndices(array: Int32Array): void {
  residentSource?.giveBack(array);
}

/** Runs fn and returns its result with every array allocate() handed out meanwhile. */
export function trackAllocations<T>(fn: () => T): { result: T; allocated: Set<TypedArray> } {
  const outer = tracked;
  const allocated = new Set<TypedArray>();
  tracked = allocated;
  try {
    return { result: fn(), allocated };
  } finally {
    tracked = outer;
    if (outer) for (const array of allocated) outer.add(array);
  }
}

/**
 * Gives `array` (made by allocate) back for allocate() to reuse. The caller guarantees that
 * nothing will read or write it any more: whoever gets it next owns it.
 */
export function recycle(array: TypedArray): void {
  if (array.length < minRecycledLength || residentSource?.giveBack(array)) return;
  const key = `${dtypeOf(array)}:${array.length}`;
  const list = recycled.get(key) ?? [];
  // Kept once at most: handed out twice, one array would be two tensors' storage.
  if (list.length < keptPerLength && recycledBytes + array.byteLength <= keptBytes && !list.includes(array)) {
    list.push(array);
    recycledBytes += array.byteLength;
  }
  recycled.set(key, list);
}

/** Forgets every recycled array (releaseMemory: those living in the wasm memory would keep it). */
export function clearRecycled(): void {
  recycled.clear();
  recycledBytes = 0;
}

export function dtypeOf(array: TypedArray): DType {
  return array instanceof Float64Array ? 'float64' : 'float32';
}

/** Mixed-precision arithmetic promotes to float64, as PyTorch does. */
export function promote(a: DType, b: DType): DType {
  return a === 'float64' || b === 'float64' ? 'float64' : 'float32';
}
