/**
 * Which wasm module runs (kernels/wasm/module-choice.ts): the relaxed-SIMD one where the engine has
 * relaxed SIMD, else the plain one; DROPGRAD_WASM_SIMD=plain forces the plain one; the status says
 * which and why. And what each computes: sgemm's sums bit for bit, mul then add (plain) or fused.
 */
import { expect } from 'chai';
import { Generator, backendStatus, wasmStatus, withBackend } from '../index';
import { gemm } from '../kernels/gemm';
import { expectSameBits } from './helpers/wasm-threads';
import { describeEachWasmModule, engineHasRelaxedSimd, useWasmModule } from './helpers/wasm-modules';

/** C = A·B in float32 as the sgemm micro-kernel sums it for k ≤ 256 (one block): from 0 in k order, each step `step`. */
function emulate(
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  b: Float32Array,
  step: (acc: number, x: number, y: number) => number,
): Float32Array {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) acc = step(acc, a[i * k + p], b[p * n + j]);
      c[i * n + j] = acc;
    }
  }
  return c;
}
const mulThenAdd = (acc: number, x: number, y: number): number => Math.fround(acc + Math.fround(x * y));
// x·y of two floats is exact in a double (48 significant bits), so this rounds the sum once to a double
// and then to float32; the double rounding differs from one rounding only on ties, about 2^-29 of steps.
const fused = (acc: number, x: number, y: number): number => Math.fround(x * y + acc);

describe('wasm module choice', () => {
  let restore: (() => void) | undefined;
  afterEach(() => {
    restore?.();
    restore = undefined;
  });

  it('runs the relaxed-SIMD module exactly where the engine has relaxed SIMD, and says so', () => {
    restore = useWasmModule('relaxed'); // DROPGRAD_WASM_SIMD=auto: the engine decides
    const relaxed = engineHasRelaxedSimd();
    const major = Number(process.versions.node.split('.')[0]);
    // Node's V8 has shipped relaxed SIMD since Node 22; Node 20 has it only behind --experimental-wasm-relaxed-simd.
    if (!process.execArgv.some((flag) => flag.includes('relaxed-simd')))
      expect(relaxed, `Node ${process.versions.node}`).to.equal(major >= 22);
    const status = wasmStatus();
    if (relaxed) {
      expect(status).to.deep.include({ available: true, simd: 'relaxed' });
      expect(status).not.to.have.property('plainSimdReason');
    } else expect(status).to.deep.include({ available: true, simd: 'plain', plainSimdReason: 'this engine has no relaxed SIMD' });
    expect(withBackend('wasm', backendStatus)).to.deep.include({ running: 'wasm', simd: relaxed ? 'relaxed' : 'plain' });
    expect(withBackend('js', backendStatus)).not.to.have.property('simd');
  });

  it('runs the plain module under DROPGRAD_WASM_SIMD=plain, and says why', () => {
    restore = useWasmModule('plain');
    expect(wasmStatus()).to.deep.include({ available: true, simd: 'plain', plainSimdReason: 'DROPGRAD_WASM_SIMD=plain' });
    expect(withBackend('wasm', backendStatus)).to.deep.include({ simd: 'plain' });
  });

  it('runs the plain single-thread module on a memory that cannot be shared (a page without cross-origin isolation)', () => {
    const global = globalThis as { crossOriginIsolated?: boolean };
    global.crossOriginIsolated = false;
    restore = useWasmModule('relaxed');
    try {
      expect(wasmStatus()).to.deep.include({
        available: true,
        sharedMemory: false,
        simd: 'plain',
        plainSimdReason: 'the single-thread module (memory not shared) has no relaxed-SIMD build',
      });
    } finally {
      delete global.crossOriginIsolated;
    }
  });

  it('refuses any other DROPGRAD_WASM_SIMD by name, instead of falling back to js', () => {
    restore = useWasmModule('plain');
    process.env.DROPGRAD_WASM_SIMD = 'fma';
    const message = `DROPGRAD_WASM_SIMD: expected 'auto' or 'plain' (or unset), got "fma"`;
    expect(() => wasmStatus()).to.throw(RangeError, message);
    expect(() => withBackend('wasm', backendStatus)).to.throw(RangeError, message);
  });
});

describeEachWasmModule("sgemm's multiply-add, bit for bit", (simd) => {
  it(simd === 'plain' ? 'is float32 mul then float32 add' : 'is fused (one rounding) where the CPU has FMA, else mul then add', () => {
    // 8·16·64 = 8192 multiply-adds: above the 4096 under which the wasm backend hands a gemm to js.
    const [m, n, k] = [8, 16, 64];
    const rng = new Generator(11);
    const a = Float32Array.from({ length: m * k }, () => rng.uniform(-1, 1));
    const b = Float32Array.from({ length: k * n }, () => rng.uniform(-1, 1));
    const c = new Float32Array(m * n);
    withBackend('wasm', () => gemm({ m, n, k, a, b, c }));
    const plain = emulate(m, n, k, a, b, mulThenAdd);
    const fma = emulate(m, n, k, a, b, fused);
    expect(Buffer.from(plain.buffer).equals(Buffer.from(fma.buffer)), 'the case tells fused from unfused').to.equal(false);
    const sameAsFused = Buffer.from(c.buffer).equals(Buffer.from(fma.buffer));
    // relaxed_madd is the engine's choice: V8 fuses where the CPU has FMA (x64 with FMA3, arm64), else multiplies then adds.
    expectSameBits([c], [simd === 'relaxed' && sameAsFused ? fma : plain], [`C (${simd})`]);
  });
});
