/**
 * Which of the embedded wasm modules (generated/modules.ts, built by scripts/build-wasm.mts) runs
 * here. They differ in their memory (shared, so that worker threads can run, or not) and in sgemm's
 * multiply-add: the relaxed-SIMD module fuses it (f32x4.relaxed_madd), which is faster but rounds
 * once where the plain module rounds twice, so the two give slightly different floats. Each is
 * deterministic and independent of the thread count; DROPGRAD_WASM_SIMD=plain picks the plain one
 * anyway, to compare or reproduce results from an engine without relaxed SIMD (Node 18 and 20).
 */
import { relaxedThreadedModule, singleThreadModule, threadedModule } from './generated/modules';

/** The sgemm multiply-add of the module running: 'relaxed' fused (where the CPU has FMA), 'plain' mul then add. */
export type WasmSimd = 'relaxed' | 'plain';

export interface ModuleChoice {
  bytes: Uint8Array<ArrayBuffer>;
  simd: WasmSimd;
  /** Why the plain module runs, when it does. */
  plainSimdReason?: string;
}

const simdSettings = ['auto', 'plain'] as const;
export type SimdSetting = (typeof simdSettings)[number];

/**
 * DROPGRAD_WASM_SIMD: 'auto' (or unset) runs the relaxed-SIMD module where the engine has it, 'plain'
 * the plain one. Read when the module is made: after a change, releaseMemory() makes the next call
 * choose again. Anything else is an error, not a quiet default, so that a typo cannot pass as a
 * reproduction run.
 */
export function simdSetting(): SimdSetting {
  const value = globalThis.process?.env?.DROPGRAD_WASM_SIMD;
  if (value === undefined || value === '') return 'auto';
  if ((simdSettings as readonly string[]).includes(value)) return value as SimdSetting;
  throw new RangeError(
    `DROPGRAD_WASM_SIMD: expected ${simdSettings.map((name) => `'${name}'`).join(' or ')} (or unset), got ${JSON.stringify(value)}`,
  );
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The module for a shared memory (worker threads) or an ordinary one, per `setting`. */
export function chooseModule(shared: boolean, setting: SimdSetting): ModuleChoice {
  if (!shared) {
    return {
      bytes: decode(singleThreadModule),
      simd: 'plain',
      plainSimdReason: 'the single-thread module (memory not shared) has no relaxed-SIMD build',
    };
  }
  if (setting === 'plain') return { bytes: decode(threadedModule), simd: 'plain', plainSimdReason: 'DROPGRAD_WASM_SIMD=plain' };
  // The relaxed module is its own feature test: validate() accepts it exactly where the engine can
  // compile every instruction in it (relaxed SIMD: Node 22+, Chrome 114+; Node 20 only behind a
  // flag); decoding and validating its 10 kB takes about a millisecond, once.
  const relaxed = decode(relaxedThreadedModule);
  if (WebAssembly.validate(relaxed)) return { bytes: relaxed, simd: 'relaxed' };
  return { bytes: decode(threadedModule), simd: 'plain', plainSimdReason: 'this engine has no relaxed SIMD' };
}
