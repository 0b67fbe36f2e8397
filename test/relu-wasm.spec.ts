import { expect } from 'chai';
import { Generator, Tensor } from '../index';
import { allocateForKernels } from '../base/dtype';
import { withBackend } from '../kernels/backend';
import { jsRelu } from '../kernels/relu/js';
import { wasmRelu, wasmReluKernels } from '../kernels/relu/wasm';
import { isResident } from '../kernels/wasm/resident-storage';
import { parallelCalls, poisonWasmMemory } from './helpers/wasm';
import { describeEachWasmModule } from './helpers/wasm-modules';
import { expectSameBits, withThreads } from './helpers/wasm-threads';

/** Empty, single, four-lane-unaligned and long (past the size that lives in the wasm memory) lengths. */
const lengths = [0, 1, 3, 4, 5, 17, 33, 4097, 20003];

/** The values relu's rules single out — ±0, ±∞, NaN, the largest float32 (whose double overflows float32) — then random ones. */
const special = [
  0,
  -0,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.NaN,
  3.4028234663852886e38,
  -3.4028234663852886e38,
  1e-45,
  -1e-45,
];

function values(n: number, rng: Generator, offset: number): Float32Array {
  const out = Float32Array.from({ length: n }, () => rng.uniform(-2, 2));
  // The special values at every lane position and in the scalar tail.
  for (let i = 0; i < n; i += 7) out[i] = special[(i / 7 + offset) % special.length];
  if (n > 0) out[n - 1] = special[offset % special.length];
  return out;
}

/** `array` in the wasm memory when `resident` (allocateForKernels places long ones there), else itself. */
function place(array: Float32Array, resident: boolean): Float32Array {
  if (!resident) return array;
  const placed = withBackend('wasm', () => allocateForKernels('float32', array.length) as Float32Array);
  placed.set(array);
  return placed;
}

describeEachWasmModule('relu wasm kernels', () => {
  for (const resident of [false, true]) {
    for (const threads of [1, 2]) {
      const where = `${resident ? 'resident' : 'copied'} operands, ${threads} thread(s)`;

      it(`forward gives bitwise the js loop's values, ±0, ±∞ and NaN included (${where})`, () => {
        for (const [k, n] of lengths.entries()) {
          const x = place(values(n, new Generator(8100 + k), k), resident);
          const expected = new Float32Array(n).fill(Number.NaN);
          jsRelu.forward(x, expected);
          const out = place(new Float32Array(n).fill(Number.NaN), resident);
          expect(isResident(out), `length ${n} resident`).to.equal(resident && n >= 4096);
          const sharedBefore = parallelCalls();
          withThreads(threads, () => {
            poisonWasmMemory();
            wasmReluKernels.forward(x, out);
          });
          expect(parallelCalls() - sharedBefore, `length ${n}: calls shared with a worker`).to.equal(
            Math.min(threads, Math.ceil(n / 16)) > 1 ? 1 : 0,
          );
          expectSameBits([out], [expected], [`relu(x) of length ${n}`]);
        }
      });

      it(`backward gives bitwise the js loop's gradient, a NaN or non-positive y giving 0 · dy (${where})`, () => {
        for (const [k, n] of lengths.entries()) {
          const rng = new Generator(8200 + k);
          const y = place(values(n, rng, k), resident);
          const dy = place(values(n, rng, k + 3), resident);
          const expected = new Float32Array(n).fill(Number.NaN);
          jsRelu.backward(dy, y, expected);
          const dx = place(new Float32Array(n).fill(Number.NaN), resident);
          withThreads(threads, () => {
            poisonWasmMemory();
            wasmReluKernels.backward(dy, y, dx);
          });
          expectSameBits([dx], [expected], [`relu's dx of length ${n}`]);
        }
      });
    }
  }

  it('the relu op and its backward give the same float32 values and gradient as on the js backend, on 1 and 2 threads', () => {
    const run = (backend: 'js' | 'wasm', threads: number): Float32Array[] =>
      withBackend(backend, () =>
        withThreads(threads, () => {
          const x = Tensor.fromData(values(6 * 1001, new Generator(8300), 2), [6, 1001], true);
          const y = x.relu();
          y.backward(Tensor.fromData(values(6 * 1001, new Generator(8301), 5), [6, 1001]));
          return [Float32Array.from(y.values()), Float32Array.from(x.grad!.values())];
        }),
      );
    const expected = run('js', 1);
    expectSameBits(run('wasm', 1), expected, ['y', 'dx']);
    expectSameBits(run('wasm', 2), expected, ['y', 'dx']);
  });

  it('arrays shorter than 4096 values run the js loops, longer ones the wasm kernels', () => {
    // Specs split every call they can (test/helpers/split-every-call.ts): a wasm call here is a shared one.
    const calls = (n: number): number => {
      const before = parallelCalls();
      withThreads(2, () => wasmRelu.forward(values(n, new Generator(8400), 0), new Float32Array(n)));
      return parallelCalls() - before;
    };
    expect([calls(4095), calls(4096)]).to.deep.equal([0, 1]);
  });

  it('float64 arrays take the js loops', () => {
    const x = Float64Array.of(-1, 2, Number.NaN, -0, 5);
    const out = new Float64Array(5);
    wasmRelu.forward(x, out);
    expect(Array.from(out)).to.deep.equal([0, 2, Number.NaN, 0, 5]);
    const dx = new Float64Array(5);
    wasmRelu.backward(Float64Array.of(1, 2, 3, 4, 5), out, dx);
    expect(Array.from(dx)).to.deep.equal([0, 2, 0, 0, 5]);
  });
});
