/**
 * The one shared gpu.js context behind the 'gpu.js' backend: which gpu.js mode runs, the compiled
 * kernels, and the fallback to the 'js' kernels when gpu.js cannot run here.
 *
 * gpu.js is loaded on first use, not at import: importing dropgrad costs nothing for users who never
 * select gpu.js (kernels/backend.ts only asks hasRealGpuContext() when no backend was chosen). It is
 * found, in order, through configureGpuJs({ load }), a page-global `GPU` left by a <script> tag of
 * gpu-browser.js, or require('gpu.js') (CommonJS, tsx, bundlers that resolve require). Native ES
 * module builds have no synchronous require; they pass the module in with configureGpuJs.
 *
 * Mode: DROPGRAD_GPUJS_MODE or configureGpuJs({ mode }) forces one of gpuJsModes ('gpu' lets gpu.js
 * choose, which on a GPU-less Node machine is its webasm backend); otherwise the first GL backend
 * gpu.js supports (headless-gl, WebGL2, WebGL), else 'cpu'. Off a GPU the 'js' kernels beat both cpu
 * and webasm by ~10×, so an unforced gpu.js there only serves to test the kernels, and gpu.js' plain
 * cpu backend is the one it documents as its reference for correctness. 'webgpu' is not offered: its
 * kernels return Promises, and the kernel interfaces are synchronous (in Node it also needs the
 * `webgpu` package, whose binary needs glibc ≥ 2.38).
 *
 * Failure: if gpu.js cannot be loaded, the GPU cannot be created, or a kernel fails to compile or
 * run, the context is dropped for good (until configureGpuJs) and every gpu.js kernel runs its 'js'
 * twin instead, after one console warning naming the reason. Nothing throws to the caller.
 */
import type { TypedArray } from '../../base/dtype';
import type { GPU, IKernelRunShortcut, KernelOutput, KernelVariable } from './gpu-js-types';

export type GpuJsMode = 'gpu' | 'webgl' | 'webgl2' | 'headlessgl' | 'cpu';
export const gpuJsModes: readonly GpuJsMode[] = ['gpu', 'webgl', 'webgl2', 'headlessgl', 'cpu'];

/** gpu.js backends that run on a real GPU context (the others — cpu, webasm — run on the CPU). */
const gpuContextModes: readonly string[] = ['webgl', 'webgl2', 'headlessgl'];

/**
 * The part of the gpu.js module this backend uses; narrow so that tests can pass a stand-in. Its
 * instances are typed `object`, not gpu.js' GPU: gpu.js is an optional peer dependency, so the
 * published declarations must not need its types (create() takes the instance as gpu.js' GPU).
 */
export interface GpuJsModule {
  GPU: {
    new (settings: { mode: GpuJsMode }): object;
    readonly isHeadlessGLSupported: boolean;
    readonly isWebGL2Supported: boolean;
    readonly isWebGLSupported: boolean;
  };
}

export interface GpuJsOptions {
  /** Force a mode; default: DROPGRAD_GPUJS_MODE, else detectMode(). */
  mode?: GpuJsMode;
  /** Supplies the gpu.js module (see the file comment for the default). */
  load?: () => GpuJsModule;
}

export type GpuJsStatus = { available: true; mode: string } | { available: false; reason: string };

/** A kernel body in gpu.js' JavaScript subset, reading its sizes from `this.constants`. */
export type GpuJsKernelFunction<Constants> = (this: { thread: { x: number }; constants: Constants }, ...args: Float32Array[]) => number;

/** A compiled kernel: takes Float32Arrays or the pipelined outputs of other kernels. */
/** @internal */
export type CompiledKernel = (...args: KernelVariable[]) => KernelOutput;

interface Context {
  gpu: GPU;
  /** The backend gpu.js actually runs (for forced 'gpu', the one it picked). */
  mode: string;
  /** Compiled kernels by body, then by output size and constants: each compiles once. */
  kernels: Map<GpuJsKernelFunction<never>, Map<string, CompiledKernel>>;
}

let options: GpuJsOptions = {};
let state: Context | { failure: string } | undefined;
let warned = false;

/**
 * Replaces the options and drops the current context (its kernels with it); the next gpu.js call
 * creates a new one, and a new failure warns again.
 */
export function configureGpuJs(next: GpuJsOptions = {}): void {
  if (state !== undefined && 'gpu' in state) {
    // destroy() is asynchronous; a failure to free GL memory must not surface as an unhandled rejection.
    state.gpu.destroy().catch(() => undefined);
  }
  options = next;
  state = undefined;
  warned = false;
}

/** The mode gpu.js would pick on its own, minus webasm (see the file comment): GL first, else cpu. */
export function detectMode(GPU: GpuJsModule['GPU']): GpuJsMode {
  if (GPU.isHeadlessGLSupported) return 'headlessgl';
  if (GPU.isWebGL2Supported) return 'webgl2';
  if (GPU.isWebGLSupported) return 'webgl';
  return 'cpu';
}

/** The mode gpu.js runs in here, or why it cannot run (creating the context on first call). */
export function gpuJsStatus(): GpuJsStatus {
  const current = context();
  return 'gpu' in current ? { available: true, mode: current.mode } : { available: false, reason: current.failure };
}

/** Renderers that are WebGL implemented on the CPU: gpu.js on them runs 30–50× slower than 'js'. */
const softwareRenderers = /SwiftShader|llvmpipe|softpipe|software/i;

/** The page's (unmasked, when the browser allows) WebGL renderer name; null outside a browser. */
export function webglRenderer(): string | null {
  if (typeof document === 'undefined') return null;
  try {
    const canvas = document.createElement('canvas');
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
    if (!gl) return null;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  } catch {
    return null;
  }
}

/**
 * True when gpu.js runs on WebGL, WebGL2 or headless-gl here, on hardware: the only case where it
 * beats 'js'. A browser's software WebGL (SwiftShader, llvmpipe) does not count. headless-gl only
 * reports "ANGLE" as its renderer, so under Xvfb + Mesa it counts as real: select 'js' there.
 */
export function hasRealGpuContext(): boolean {
  const current = context();
  return 'gpu' in current && gpuContextModes.includes(current.mode) && !softwareRenderers.test(webglRenderer() ?? '');
}

/**
 * Runs a gpu.js implementation, or `fallback` (the 'js' kernel) when gpu.js is unavailable or fails
 * here; a failure disables gpu.js and warns once. `gpuPath` must write its results only after its
 * last kernel call, so a failure never leaves a half-written destination.
 * @internal Like the other helpers typed with gpu.js' own types: the published declarations leave them out.
 */
export function withGpuJs<T>(gpuPath: (compile: KernelCompiler) => T, fallback: () => T): T {
  const current = context();
  if ('gpu' in current) {
    try {
      return gpuPath((fn, output, constants, settings) => compiled(current, fn, output, constants, settings?.pipeline ?? false));
    } catch (error) {
      state = { failure: describe(error) };
    }
  }
  warnOnce();
  return fallback();
}

/**
 * Looks up (compiling on first use) the kernel running `fn` over a flat output of `size` elements.
 * With pipeline, outputs stay on the device (textures on GL) so the next kernel reads them in place.
 * @internal
 */
export type KernelCompiler = <Constants extends Record<string, number>>(
  fn: GpuJsKernelFunction<Constants>,
  size: number,
  constants: Constants,
  settings?: { pipeline?: boolean },
) => CompiledKernel;

/** A kernel input in gpu.js' float32: the array itself when it already is one, else a rounded copy. */
export function toFloat32(array: TypedArray | Int32Array): Float32Array {
  return array instanceof Float32Array ? array : Float32Array.from(array);
}

/** @internal The first `length` values of a kernel result, read back from the device if they are still there. */
export function readBack(result: KernelOutput, length: number): Float32Array {
  const array = typeof result === 'object' && result !== null && 'toArray' in result ? result.toArray() : result;
  if (!(array instanceof Float32Array) || array.length < length) {
    throw new Error(`a gpu.js kernel returned ${describeValue(array)} where ${length} float32 values were expected`);
  }
  return array.length === length ? array : array.subarray(0, length);
}

/**
 * The common case: one kernel, one thread per element of `out`, its result stored into `out` (in
 * out's own dtype), or added to it with `accumulate`. Empty arrays are no work and gpu.js rejects
 * them, so they go to `fallback` unwarned.
 */
export function runKernel<Constants extends Record<string, number>>(
  fn: GpuJsKernelFunction<Constants>,
  constants: Constants,
  inputs: ReadonlyArray<TypedArray | Int32Array>,
  out: TypedArray,
  fallback: () => void,
  { accumulate = false } = {},
): void {
  if (out.length === 0 || inputs.some((input) => input.length === 0)) {
    fallback();
    return;
  }
  withGpuJs((compile) => {
    const result = readBack(compile(fn, out.length, constants)(...inputs.map(toFloat32)), out.length);
    if (!accumulate) return out.set(result);
    for (let i = 0; i < out.length; i++) out[i] += result[i];
  }, fallback);
}

function context(): Context | { failure: string } {
  if (state === undefined) {
    try {
      state = create();
    } catch (error) {
      state = { failure: describe(error) };
    }
  }
  return state;
}

const glKernelModes: Record<string, GpuJsMode> = { HeadlessGLKernel: 'headlessgl', WebGL2Kernel: 'webgl2', WebGLKernel: 'webgl' };

function create(): Context {
  const module = (options.load ?? loadGpuJs)();
  const mode = options.mode ?? modeFromEnvironment() ?? detectMode(module.GPU);
  // `module` came from a load() function or a page global; it is trusted to be gpu.js.
  const gpu = new module.GPU({ mode }) as GPU;
  // gpu.js reports every GL kernel's mode as 'gpu'; its class says which GL backend runs.
  return { gpu, mode: glKernelModes[gpu.Kernel.name] ?? gpu.Kernel.mode, kernels: new Map() };
}

function modeFromEnvironment(): GpuJsMode | undefined {
  const value = typeof process !== 'undefined' ? process.env?.DROPGRAD_GPUJS_MODE : undefined;
  if (value === undefined || value === '') return undefined;
  if (!(gpuJsModes as readonly string[]).includes(value)) {
    const why = value === 'webgpu' ? " (webgpu kernels are asynchronous; dropgrad's kernels are not)" : '';
    throw new RangeError(`DROPGRAD_GPUJS_MODE: expected one of ${gpuJsModes.join(', ')}, got ${JSON.stringify(value)}${why}`);
  }
  return value as GpuJsMode;
}

function loadGpuJs(): GpuJsModule {
  // gpu-browser.js binds the class to `window.GPU`; browsers may also define a native WebGPU `GPU`
  // interface there, which has no createKernel.
  const global: unknown = (globalThis as { GPU?: unknown }).GPU;
  if (typeof global === 'function' && typeof (global.prototype as { createKernel?: unknown } | undefined)?.createKernel === 'function') {
    return { GPU: global as GpuJsModule['GPU'] };
  }
  try {
    return require('gpu.js') as GpuJsModule;
  } catch (error) {
    // gpu.js is an optional peer dependency: not installed is the usual case, and says what to do.
    if ((error as { code?: unknown } | null)?.code === 'MODULE_NOT_FOUND')
      throw new Error('gpu.js is not installed (npm install gpu.js) nor passed in with configureGpuJs({ load })');
    throw new Error(`cannot load gpu.js: ${describe(error)}; pass it in with configureGpuJs({ load })`);
  }
}

function compiled<Constants extends Record<string, number>>(
  current: Context,
  fn: GpuJsKernelFunction<Constants>,
  size: number,
  constants: Constants,
  pipeline: boolean,
): CompiledKernel {
  const body = fn as GpuJsKernelFunction<never>;
  let bySettings = current.kernels.get(body);
  if (bySettings === undefined) {
    bySettings = new Map();
    current.kernels.set(body, bySettings);
  }
  const key = `${size}|${pipeline}|${JSON.stringify(constants)}`;
  let kernel = bySettings.get(key);
  if (kernel === undefined) {
    // The constants become literals in the generated shader, so loop bounds are compile-time
    // constants as GLSL wants; that is why each geometry gets its own compiled kernel.
    // gpu.js compiles from source text; handing it the text keeps its loose `this` typing out of ours.
    const shortcut: IKernelRunShortcut = current.gpu.createKernel(fn.toString(), {
      output: [size],
      constants,
      // A pipelined kernel reuses its output texture on its next call; every caller reads or
      // consumes it within one kernel-interface call, so that reuse is safe and nothing leaks.
      pipeline,
      precision: 'single',
    });
    kernel = (...args) => shortcut(...args);
    bySettings.set(key, kernel);
  }
  return kernel;
}

function warnOnce(): void {
  if (warned || state === undefined || 'gpu' in state) return;
  warned = true;
  console.warn(`dropgrad: gpu.js backend unavailable (${state.failure}); using 'js'`);
}

function describeValue(value: unknown): string {
  return value === null || value === undefined
    ? String(value)
    : `a ${value.constructor.name} of length ${(value as { length?: number }).length}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
