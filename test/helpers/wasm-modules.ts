/**
 * Running a spec's wasm checks on each module this engine can run: the plain-SIMD one everywhere,
 * the relaxed-SIMD one (fused multiply-adds) where the engine has relaxed SIMD. The two round
 * differently, so each must pass the parity and thread-determinism checks on its own.
 */
import { expect } from 'chai';
import { releaseMemory, type WasmSimd, wasmStatus } from '../../index';
import { wasmWorkersReady } from './wasm';

/**
 * A module of one function whose body is f32x4.relaxed_madd of three zero vectors, written by hand
 * so that "does this engine have relaxed SIMD?" has an answer independent of the modules under test.
 */
const relaxedMaddProbe = Uint8Array.from([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // \0asm, version 1
  ...[0x01, 0x04, 0x01, 0x60, 0x00, 0x00], // type section: () -> ()
  ...[0x03, 0x02, 0x01, 0x00], // function section: one function of type 0
  ...[0x0a, 0x3e, 0x01, 0x3c, 0x00], // code section: one body of 60 bytes, no locals
  ...[0, 1, 2].flatMap(() => [0xfd, 0x0c, ...new Array<number>(16).fill(0)]), // v128.const 0, three times
  ...[0xfd, 0x85, 0x02], // f32x4.relaxed_madd (0xfd 0x105)
  ...[0x1a, 0x0b], // drop, end
]);

/** Whether this engine validates relaxed-SIMD instructions (Node 22+, Chrome 114+). */
export function engineHasRelaxedSimd(): boolean {
  return WebAssembly.validate(relaxedMaddProbe);
}

/** The module a fresh instance should run here: relaxed where the engine has it, unless DROPGRAD_WASM_SIMD=plain. */
export function expectedWasmSimd(): WasmSimd {
  return engineHasRelaxedSimd() && process.env.DROPGRAD_WASM_SIMD !== 'plain' ? 'relaxed' : 'plain';
}

/** Makes the next wasm call start `simd`'s module (through DROPGRAD_WASM_SIMD), returning a function that restores the previous choice. */
export function useWasmModule(simd: WasmSimd): () => void {
  const before = process.env.DROPGRAD_WASM_SIMD;
  process.env.DROPGRAD_WASM_SIMD = simd === 'plain' ? 'plain' : 'auto';
  releaseMemory();
  return () => {
    if (before === undefined) delete process.env.DROPGRAD_WASM_SIMD;
    else process.env.DROPGRAD_WASM_SIMD = before;
    releaseMemory();
  };
}

/**
 * `suite` inside a describe per wasm module, each run on a fresh instance of it with two threads'
 * workers ready (the relaxed one's is pending where the engine lacks relaxed SIMD). Its hooks run
 * before the suite's own.
 */
export function describeEachWasmModule(title: string, suite: (simd: WasmSimd) => void): void {
  for (const simd of ['plain', 'relaxed'] as const) {
    describe(`${title} (${simd}-SIMD module)`, () => {
      let restore: (() => void) | undefined;
      before(async function () {
        if (simd === 'relaxed' && !engineHasRelaxedSimd()) this.skip();
        restore = useWasmModule(simd);
        expect(wasmStatus()).to.deep.include({ available: true, simd });
        await wasmWorkersReady(2);
      });
      after(() => restore?.());
      suite(simd);
    });
  }
}
