import { expect } from 'chai';
import { gemm } from '../kernels/gemm';
import { Generator } from '../index';
import type { TypedArray } from '../index';

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

function filled<T extends TypedArray>(array: T, rng: Generator): T {
  for (let i = 0; i < array.length; i++) array[i] = rng.uniform(-1, 1);
  return array;
}

/** max |x − y| / max(1, max |y|). */
function relativeError(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let err = 0;
  let scale = 1;
  for (let i = 0; i < y.length; i++) {
    err = Math.max(err, Math.abs(x[i] - y[i]));
    scale = Math.max(scale, Math.abs(y[i]));
  }
  return err / scale;
}

// Sizes straddle the micro-tile (4), the A block (128 rows), the k block (256) and the B block (2048 columns).
const sizes: Array<[number, number, number]> = [
  [1, 1, 1],
  [5, 7, 3],
  [4, 4, 4],
  [13, 17, 300],
  [130, 9, 261],
  [3, 2053, 5],
  [64, 33, 513],
];

describe('gemm', () => {
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
            gemm({ m, n, k, a, b, c, transA, transB });
            expect(relativeError(c, naive(m, n, k, a, transA, b, transB))).to.be.below(tol);
          }
        });
      }
    }
  }

  it('reads and writes at offsets, and accumulates when asked', () => {
    const rng = new Generator(3);
    const [m, n, k] = [6, 11, 9];
    const a = filled(new Float64Array(5 + m * k), rng);
    const b = filled(new Float64Array(7 + k * n), rng);
    const c = filled(new Float64Array(2 + m * n + 3), rng);
    const before = Float64Array.from(c);
    gemm({ m, n, k, a, aOffset: 5, b, bOffset: 7, c, cOffset: 2, accumulate: true });
    const product = naive(m, n, k, a.subarray(5), false, b.subarray(7), false);
    const expected = Float64Array.from(before);
    product.forEach((v, i) => {
      expected[2 + i] += v;
    });
    expect(relativeError(c, expected)).to.be.below(1e-12);
    expect([c[0], c[1], c[c.length - 1]]).to.deep.equal([before[0], before[1], before[before.length - 1]]);
  });

  it('zeroes C when k = 0', () => {
    const c = new Float32Array(6).fill(3);
    gemm({ m: 2, n: 3, k: 0, a: new Float32Array(0), b: new Float32Array(0), c });
    expect(Array.from(c)).to.deep.equal([0, 0, 0, 0, 0, 0]);
  });

  it('refuses operands too short for the stated sizes', () => {
    expect(() => gemm({ m: 2, n: 2, k: 2, a: new Float64Array(3), b: new Float64Array(4), c: new Float64Array(4) })).to.throw(
      'gemm: A needs 4 values from offset 0, but its array holds 3',
    );
  });
});
