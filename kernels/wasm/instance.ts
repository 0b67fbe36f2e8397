/**
 * The wasm kernels' module, memory and exports, made once on first use, synchronously (the op API
 * is synchronous). Where SharedArrayBuffer is usable (Node; pages that are cross-origin isolated)
 * the memory is shared, so worker threads can run the same module on it (thread-pool.ts); elsewhere
 * the single-thread build runs on an ordinary memory.
 *
 * The modules are compiled from kernels/wasm/assembly/ by scripts/build-wasm.mts and embedded as
 * base64 in generated/modules.ts: no file to fetch, no native build. module-choice.ts picks one
 * (the relaxed-SIMD build where the engine has it).
 */
import type { KernelName } from './argument-blocks';
import { chooseModule, type SimdSetting, simdSetting, type WasmSimd } from './module-choice';

/** Computes share `share` of `shares` of a call, `thread` naming the per-thread workspace it may use (assembly/index.ts). */
export type KernelFunction = (args: number, share: number, shares: number, thread: number) => void;

export type WasmExports = Record<KernelName, KernelFunction> & { gemmWorkspaceBytes(): number };

export interface WasmInstance {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  exports: WasmExports;
  /** True when the memory is a SharedArrayBuffer that worker threads can share. */
  shared: boolean;
  /** Which build runs: sgemm's multiply-add fused ('relaxed') or not ('plain'); see module-choice.ts. */
  simd: WasmSimd;
  /** Why the plain build runs, when it does. */
  plainSimdReason?: string;
}

/** 64 KiB pages: the shared memory must declare a maximum; 65536 pages = 4 GiB, wasm32's limit. */
const maximumPages = 65536;

let instance: WasmInstance | undefined;
let unavailable: string | undefined;

function canShareMemory(): boolean {
  // crossOriginIsolated is undefined in Node (where sharing always works) and false on a page
  // that is not isolated, where a shared WebAssembly.Memory cannot be made.
  return typeof SharedArrayBuffer === 'function' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;
}

/**
 * The module's memory. Engines reserve its whole address range up front (the 4 GiB maximum a
 * shared memory must declare, and guard regions), so where virtual memory is limited this fails
 * even though little of it would ever be used: say so, since the engine's message does not.
 */
function reserveMemory(shared: boolean): WebAssembly.Memory {
  try {
    return new WebAssembly.Memory(shared ? { initial: 1, maximum: maximumPages, shared: true } : { initial: 1 });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `the wasm memory's address space (up to 4 GiB) cannot be reserved here (${message}); is virtual memory limited, e.g. by ulimit -v?`,
    );
  }
}

function instantiate(setting: SimdSetting): WasmInstance {
  if (typeof WebAssembly !== 'object') throw new Error('this JavaScript engine has no WebAssembly');
  const shared = canShareMemory();
  const { bytes, ...build } = chooseModule(shared, setting);
  // validate() first: an engine without 128-bit SIMD rejects the module, and says nothing more useful.
  if (!WebAssembly.validate(bytes)) throw new Error('this engine cannot run WebAssembly SIMD (128-bit) modules');
  const module = new WebAssembly.Module(bytes);
  const memory = reserveMemory(shared);
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as WasmExports;
  return { module, memory, exports, shared, ...build };
}

/** The instance, made on first call, or undefined where it cannot be made (`unavailable` says why). */
function tryInstance(): WasmInstance | undefined {
  if (instance === undefined && unavailable === undefined) {
    // Outside the try: a misspelt DROPGRAD_WASM_SIMD is the caller's error, not a reason to fall back to js.
    const setting = simdSetting();
    try {
      instance = instantiate(setting);
    } catch (error) {
      unavailable = error instanceof Error ? error.message : String(error);
    }
  }
  return instance;
}

/** The instance, made on first call, or undefined where the wasm kernels cannot run here. */
export function currentWasmInstance(): WasmInstance | undefined {
  return tryInstance();
}

/** The instance, made on first call; throws (with the reason) where WebAssembly SIMD is unavailable. */
export function wasmInstance(): WasmInstance {
  const made = tryInstance();
  if (made === undefined) throw new Error(`the wasm backend is unavailable: ${unavailable}`);
  return made;
}

let warned = false;
/** withWasm calls running (nested only if a kernel's code re-enters; releaseMemory() refuses then). */
let callsRunning = 0;

export function wasmCallRunning(): boolean {
  return callsRunning > 0;
}

/** Forgets the instance, so that the next call makes a fresh one (releaseMemory(), release-memory.ts). */
export function dropWasmInstance(): void {
  instance = undefined;
}

/**
 * Runs `wasmPath` with the instance, or `fallback` (the 'js' kernel) where WebAssembly SIMD is
 * unavailable, after one console warning that says why: a backend that cannot start falls back,
 * it does not crash.
 */
export function withWasm<T>(wasmPath: (wasm: WasmInstance) => T, fallback: () => T): T {
  const wasm = tryInstance();
  if (wasm !== undefined) {
    callsRunning++;
    try {
      return wasmPath(wasm);
    } finally {
      callsRunning--;
    }
  }
  if (!warned) {
    warned = true;
    console.warn(`dropgrad: the wasm backend is unavailable (${unavailable}); running the js kernels instead`);
  }
  return fallback();
}

/** Null when the wasm kernels can run here, else why not (instantiating them if not done yet). */
export function wasmUnavailableReason(): string | null {
  return tryInstance() === undefined ? (unavailable ?? 'unknown') : null;
}
