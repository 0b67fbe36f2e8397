import { expect } from 'chai';
import { Generator } from '../index';
import { allocateForKernels } from '../base/dtype';
import { withBackend } from '../kernels/backend';
import { jsMask } from '../kernels/mask/js';
import { wasmMask, wasmMaskKernels } from '../kernels/mask/wasm';
import { isResident } from '../kernels/wasm/resident-storage';
import { poisonWasmMemory } from './helpers/wasm';
import { describeEachWasmModule } from './helpers/wasm-modules';
import { expectSameBits, withThreads } from './helpers/wasm-threads';

/**
 * The drop-mask kernels: the wasm ones give the js loops' bits (the mask draws and the stream left
 * after them; the products), on copied and resident operands, 1 and 2 threads, empty to long arrays.
 */
const lengths = [0, 1, 3, 4, 5, 17, 4095, 4097, 20003];

/** `array` in the wasm memory when `resident` (allocateForKernels places long ones there), else a copy of it. */
function place(array: Float32Array, resident: boolean): Float32Array {
  if (!resident) return array.slice();
  const placed = withBackend('wasm', () => allocateForKernels('float32', array.length) as Float32Array);
  placed.set(array);
  return placed;
}

/** A seeded generator's four state words, as the kernels take them. */
const stateOf = (seed: number): Int32Array => Int32Array.from(new Generator(seed).getState().slice(0, 4) as number[]);

describeEachWasmModule('drop-mask wasm kernels', () => {
  for (const resident of [false, true]) {
    for (const threads of [1, 2]) {
      const where = `${resident ? 'resident' : 'copied'} operands, ${threads} thread(s)`;

      it(`bernoulli draws the js loop's mask and leaves the stream where it does, over any range (${where})`, () => {
        for (const [k, n] of lengths.entries()) {
          for (const [p, start, end] of [
            [0.3, 0, n],
            [0.9, Math.min(2, n), Math.max(Math.min(2, n), n - 1)],
            [0, 0, n],
            [1, 0, n],
          ]) {
            const [expectedState, state] = [stateOf(900 + k), stateOf(900 + k)];
            const expected = new Float32Array(n).fill(Number.NaN);
            jsMask.bernoulli(expectedState, expected, p, 1 / 0.7, 0, start, end);
            const out = place(new Float32Array(n).fill(Number.NaN), resident);
            expect(isResident(out), `length ${n} resident`).to.equal(resident && n >= 4096);
            withThreads(threads, () => {
              poisonWasmMemory();
              wasmMaskKernels.bernoulli(state, out, p, 1 / 0.7, 0, start, end);
            });
            expectSameBits([out, state], [expected, expectedState], [`mask of ${n}, p ${p}, [${start}, ${end})`, 'state after']);
          }
        }
      });

      it(`product gives the js loop's bits, one mask value over runs of 1 to a whole map (${where})`, () => {
        for (const [k, n] of lengths.entries()) {
          for (const run of [1, 3, 4, 16, 784, n]) {
            if (run === 0 || n % run !== 0) continue;
            const rng = new Generator(950 + k);
            const x = place(
              Float32Array.from({ length: n }, () => rng.normal()),
              resident,
            );
            const mask = place(
              Float32Array.from({ length: n / run }, () => (rng.random() < 0.3 ? 0 : 1 / 0.7)),
              resident,
            );
            const expected = new Float32Array(n).fill(Number.NaN);
            jsMask.product(x, mask, run, expected);
            const out = place(new Float32Array(n).fill(Number.NaN), resident);
            withThreads(threads, () => {
              poisonWasmMemory();
              wasmMaskKernels.product(x, mask, run, out);
            });
            expectSameBits([out], [expected], [`x ⊙ mask of ${n}, run ${run}`]);
          }
        }
      });
    }
  }

  it('the backend-facing kernels take the js loops for short, float64 and byte arrays, with the same results', () => {
    for (const make of [(n: number) => new Float64Array(n), (n: number) => new Uint8Array(n), (n: number) => new Float32Array(n)]) {
      const [a, b] = [stateOf(5), stateOf(5)];
      const [viaBackend, viaJs] = [make(5000), make(5000)];
      wasmMask.bernoulli(a, viaBackend, 0.4, 1, 0, 7, 4999);
      jsMask.bernoulli(b, viaJs, 0.4, 1, 0, 7, 4999);
      expectSameBits([viaBackend, a], [viaJs, b], [viaJs.constructor.name, 'state after']);
    }
  });
});
