import { expect } from 'chai';
import { gemm } from '../kernels/gemm';
import { Generator, withBackend } from '../index';
import type { BackendName, TypedArray } from '../index';
import { wasmUnavailableReason } from '../kernels/wasm/instance';
import { getNumThreads, setNumThreads } from '../kernels/wasm/thread-count';
import { parallelCalls, poisonWasmMemory, wasmWorkersReady } from './helpers/wasm';
import { relativeError } from './helpers/close';
import { describeEachWasmModule } from './helpers/wasm-modules';

/** C = op(A)·op(B) by the definition, in float64. */
function naive(m: number, n: number, k: number, a: TypedArray, transA: boolean, b: TypedArray, transB: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
      c[i * n + j] = s;
    }
  }
  return c;
}

/** C = op(A)·op(B) from the 'reference' backend's gemm into a Float64Array: the oracle of the js and wasm gemms. */
function oracle(m: number, n: number, k: number, a: TypedArray, transA: boolean, b: TypedArray, transB: boolean): Float64Array {
  const c = new Float64Array(m * n);
  withBackend('reference', () => gemm({ m, n, k, a, transA, b, transB, c }));
  return c;
}

function filled<T extends TypedArray>(array: T, rng: Generator): T {
  for (let i = 0; i < array.length; i++) array[i] = rng.uniform(-1, 1);
  return array;
}

// Sizes straddle the js gemm's blocks (micro-tile 4, 128 rows of A, 256 of k, 2048 columns of B)
// and the wasm sgemm's (4×8 tile, 64 rows, 256 of k, 512 columns). The wasm backend hands
// products under 4096 multiply-adds to js (kernels/gemm/wasm.ts); all the others reach its kernel.
const sizes: Array<[number, number, number]> = [
  [1, 1, 1],
  [5, 7, 3],
  [4, 4, 4],
  [13, 17, 300],
  [130, 9, 261],
  [3, 2053, 5],
  [64, 33, 513],
  [4, 8, 128],
  [3, 9, 255],
  [5, 7, 256],
  [7, 15, 257],
  [63, 511, 17],
  [64, 512, 256],
  [65, 513, 257],
  [129, 1031, 6],
  [9, 70, 520],
  // One row of op(A): the wasm sgemm reads an untransposed B where it lies (16 columns a step, then 4, then the edge).
  [1, 37, 300],
  [1, 128, 1568],
  [1, 5, 1000],
];

/** The backends linear and matmul take their gemm from; wasm with one thread and with two (they split C's columns). */
const runs: Array<{ backend: BackendName; threads?: number }> = [
  { backend: 'js' },
  { backend: 'wasm', threads: 1 },
  { backend: 'wasm', threads: 2 },
];
const label = ({ backend, threads }: (typeof runs)[number]): string =>
  threads ? `${backend}, ${threads} thread${threads > 1 ? 's' : ''}` : backend;

/** Runs fn on `run`'s backend with its thread count (wasm memory poisoned first), restoring both after. */
function on<T>({ backend, threads }: (typeof runs)[number], fn: () => T): T {
  const before = getNumThreads();
  if (threads !== undefined) {
    setNumThreads(threads);
    poisonWasmMemory();
  }
  try {
    return withBackend(backend, fn);
  } finally {
    setNumThreads(before);
  }
}

describe('gemm', () => {
  describe("'reference': the float64 oracle the other gemms are checked against", () => {
    it('is the definition, summed in k order in float64: bitwise the plain loops, float32 rounded once', () => {
      // k = 300 spans two of the js gemm's 256-deep blocks, whose partial sums round differently.
      const [m, n, k] = [13, 17, 300];
      const rng = new Generator(5);
      for (const [transA, transB] of [
        [false, false],
        [true, true],
      ]) {
        const a = filled(new Float64Array(m * k), rng);
        const b = filled(new Float64Array(k * n), rng);
        const c = new Float64Array(m * n);
        withBackend('reference', () => gemm({ m, n, k, a, b, c, transA, transB }));
        expect(Array.from(c)).to.deep.equal(Array.from(naive(m, n, k, a, transA, b, transB)));
        const c32 = new Float32Array(m * n);
        const [a32, b32] = [Float32Array.from(a), Float32Array.from(b)];
        withBackend('reference', () => gemm({ m, n, k, a: a32, b: b32, c: c32, transA, transB }));
        expect(Array.from(c32)).to.deep.equal(Array.from(Float32Array.from(naive(m, n, k, a32, transA, b32, transB))));
      }
    });
  });

  describeEachWasmModule('js and wasm against the reference', (simd) => {
    let callsBefore: number;
    before(async () => {
      expect(wasmUnavailableReason(), 'the wasm backend is available').to.equal(null);
      await wasmWorkersReady(2);
      callsBefore = parallelCalls();
    });

    // js once, with the plain module's run: it does not depend on the wasm module.
    for (const backend of runs.filter((run) => simd === 'plain' || run.backend === 'wasm')) {
      describe(label(backend), () => {
        for (const [m, n, k] of sizes) {
          for (const transA of [false, true]) {
            for (const transB of [false, true]) {
              it(`${m}×${k} · ${k}×${n}, transA=${transA}, transB=${transB}, float64 and float32`, () => {
                const rng = new Generator(m * 1000 + n * 10 + k);
                for (const [Type, tol] of [
                  [Float64Array, 1e-12],
                  [Float32Array, 1e-5],
                ] as const) {
                  const a = filled(new Type(m * k), rng);
                  const b = filled(new Type(k * n), rng);
                  const c = new Type(m * n).fill(Number.NaN); // overwritten entirely, or NaN shows through
                  on(backend, () => gemm({ m, n, k, a, b, c, transA, transB }));
                  expect(relativeError(c, oracle(m, n, k, a, transA, b, transB)), Type.name).to.be.below(tol);
                }
              });
            }
          }
        }

        for (const [Type, tol] of [
          [Float64Array, 1e-12],
          [Float32Array, 1e-5],
        ] as const) {
          for (const [m, n, k] of [
            [6, 11, 9],
            [37, 70, 29],
          ]) {
            it(`reads and writes at offsets, and accumulates when asked (${m}×${k} · ${k}×${n}, ${Type.name}, transposed too)`, () => {
              const rng = new Generator(3);
              for (const [transA, transB] of [
                [false, false],
                [true, true],
              ]) {
                const a = filled(new Type(5 + m * k), rng);
                const b = filled(new Type(7 + k * n), rng);
                const c = filled(new Type(2 + m * n + 3), rng);
                const before = Float64Array.from(c);
                on(backend, () => gemm({ m, n, k, a, aOffset: 5, transA, b, bOffset: 7, transB, c, cOffset: 2, accumulate: true }));
                const product = oracle(m, n, k, a.subarray(5), transA, b.subarray(7), transB);
                const expected = Float64Array.from(before);
                product.forEach((v, i) => {
                  expected[2 + i] += v;
                });
                expect(relativeError(c, expected)).to.be.below(tol);
                expect([c[0], c[1], c[c.length - 1]]).to.deep.equal([before[0], before[1], before[before.length - 1]]);
              }
            });
          }
        }

        it('zeroes C when k = 0, and adds nothing when accumulating', () => {
          const c = new Float32Array(6).fill(3);
          on(backend, () => gemm({ m: 2, n: 3, k: 0, a: new Float32Array(0), b: new Float32Array(0), c, accumulate: true }));
          expect(Array.from(c)).to.deep.equal([3, 3, 3, 3, 3, 3]);
          on(backend, () => gemm({ m: 2, n: 3, k: 0, a: new Float32Array(0), b: new Float32Array(0), c }));
          expect(Array.from(c)).to.deep.equal([0, 0, 0, 0, 0, 0]);
        });

        if (backend.backend === 'js') {
          it('a small product, summed directly, gives the bits of the packed path (the first rows of a larger product)', () => {
            const rng = new Generator(19);
            // [rows summed directly, rows of a product packed (over 16384 multiply-adds), n, k]
            for (const [m, big, n, k] of [
              [1, 4, 37, 200],
              [2, 8, 40, 100],
              [3, 8, 10, 256],
              [1, 4, 128, 128],
            ]) {
              for (const [accumulate, transA, transB] of [
                [false, false, false],
                [true, false, true],
                [true, true, false],
              ]) {
                // op(A) of `big` rows; with transA its first m rows are columns of the stored k × big matrix.
                const aBig = filled(new Float32Array(big * k), rng);
                const aSmall = transA
                  ? Float32Array.from({ length: m * k }, (_, i) => aBig[Math.floor(i / m) * big + (i % m)])
                  : aBig.slice(0, m * k);
                const b = filled(new Float32Array(k * n), rng);
                const start = filled(new Float32Array(big * n), rng);
                const packed = Float32Array.from(start);
                const direct = start.slice(0, m * n);
                on(backend, () => gemm({ m: big, n, k, a: aBig, b, c: packed, accumulate, transA, transB }));
                on(backend, () => gemm({ m, n, k, a: aSmall, b, c: direct, accumulate, transA, transB }));
                const what = `${m}×${k}·${k}×${n}, accumulate ${accumulate}, transA ${transA}, transB ${transB}`;
                expect(Array.from(direct), what).to.deep.equal(Array.from(packed.subarray(0, m * n)));
              }
            }
          });
        }

        if (backend.backend === 'wasm') {
          it('a one-row op(A), read with B where they lie, gives the bits of the packed path (row 0 of a two-row product)', () => {
            const rng = new Generator(17);
            for (const [n, k] of [
              [37, 300],
              [128, 1568],
              [5, 1000],
              [16, 256],
            ]) {
              for (const accumulate of [false, true]) {
                const a = filled(new Float32Array(2 * k), rng);
                const b = filled(new Float32Array(k * n), rng);
                const start = filled(new Float32Array(2 * n), rng);
                const two = Float32Array.from(start);
                const one = start.slice(0, n);
                on(backend, () => gemm({ m: 2, n, k, a, b, c: two, accumulate }));
                on(backend, () => gemm({ m: 1, n, k, a, b, c: one, accumulate }));
                expect(Array.from(one), `n ${n}, k ${k}, accumulate ${accumulate}`).to.deep.equal(Array.from(two.subarray(0, n)));
              }
            }
          });
        }

        it('refuses operands too short for the stated sizes', () => {
          expect(() =>
            on(backend, () => gemm({ m: 2, n: 2, k: 2, a: new Float32Array(3), b: new Float32Array(4), c: new Float32Array(4) })),
          ).to.throw('gemm: A needs 4 values from offset 0, but its array holds 3');
        });
      });
    }

    // A suite of its own, so that it runs after the ones above (mocha runs a suite's own tests first).
    describe('wasm threads', () => {
      it('ran the 2-thread cases on two threads (kernel calls were shared with a worker)', () => {
        expect(parallelCalls() - callsBefore).to.be.greaterThan(20);
      });
    });
  });
});
