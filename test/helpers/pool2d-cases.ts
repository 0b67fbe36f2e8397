/** Pooling cases and comparisons shared by the specs that check a pool2d kernel table against the reference. */
import { expect } from 'chai';
import { Generator, type TypedArray } from '../../index';
import { type AvgPool2dGeometry, type MaxPool2dGeometry, avgPoolWindows, pooledSize, withDivisor } from '../../kernels/pool2d';
import type { Pool2dKernels } from '../../kernels/pool2d';
import { referencePool2d } from '../../kernels/pool2d/reference';
import { expectAllClose } from './close';

type FloatArrayType = Float32ArrayConstructor | Float64ArrayConstructor;

export interface PoolCase {
  planes: number;
  inH: number;
  inW: number;
  k: [number, number];
  s: [number, number];
  p: [number, number];
  d: [number, number];
  ceil: boolean;
}

// Small (gpu.js' cpu mode interprets every thread); odd sizes, strides, padding, dilation, ceil
// mode, a single plane, windows that overlap (stride < kernel) and ones that skip (stride > kernel).
export const poolCases: PoolCase[] = [
  { planes: 3, inH: 7, inW: 5, k: [3, 3], s: [2, 2], p: [1, 1], d: [1, 1], ceil: false },
  { planes: 1, inH: 9, inW: 11, k: [2, 3], s: [1, 2], p: [0, 1], d: [1, 1], ceil: true },
  { planes: 4, inH: 8, inW: 8, k: [2, 2], s: [2, 2], p: [0, 0], d: [1, 1], ceil: false },
  { planes: 2, inH: 10, inW: 7, k: [3, 2], s: [1, 1], p: [1, 0], d: [2, 3], ceil: false },
  { planes: 2, inH: 6, inW: 9, k: [1, 2], s: [3, 3], p: [0, 1], d: [1, 1], ceil: true },
  { planes: 5, inH: 5, inW: 5, k: [5, 5], s: [1, 1], p: [2, 2], d: [1, 1], ceil: false },
  { planes: 2, inH: 13, inW: 6, k: [4, 3], s: [3, 2], p: [2, 1], d: [1, 2], ceil: true },
  { planes: 3, inH: 4, inW: 11, k: [2, 4], s: [2, 3], p: [1, 2], d: [1, 1], ceil: false },
];

export const maxGeometry = (c: PoolCase): MaxPool2dGeometry => ({
  planes: c.planes,
  inH: c.inH,
  inW: c.inW,
  outH: pooledSize(c.inH, c.k[0], c.s[0], c.p[0], c.d[0], c.ceil),
  outW: pooledSize(c.inW, c.k[1], c.s[1], c.p[1], c.d[1], c.ceil),
  kH: c.k[0],
  kW: c.k[1],
  sH: c.s[0],
  sW: c.s[1],
  pH: c.p[0],
  pW: c.p[1],
  dH: c.d[0],
  dW: c.d[1],
});

export type AvgRule = 'include' | 'exclude' | 'override';

/** avg pooling (no dilation) with count-include-pad on or off, or a divisor override. */
export function avgGeometry(c: PoolCase, rule: AvgRule): AvgPool2dGeometry {
  const outH = pooledSize(c.inH, c.k[0], c.s[0], c.p[0], 1, c.ceil);
  const outW = pooledSize(c.inW, c.k[1], c.s[1], c.p[1], 1, c.ceil);
  const rows = avgPoolWindows(c.inH, outH, c.k[0], c.s[0], c.p[0], rule === 'include');
  const cols = avgPoolWindows(c.inW, outW, c.k[1], c.s[1], c.p[1], rule === 'include');
  return rule === 'override'
    ? { planes: c.planes, inH: c.inH, inW: c.inW, rows: withDivisor(rows, 7), cols: withDivisor(cols, 1) }
    : { planes: c.planes, inH: c.inH, inW: c.inW, rows, cols };
}

/** Values already float32-exact, so float32 comparisons pick the same argmax as the reference. */
export function randomValues(Type: FloatArrayType, size: number, rng: Generator): TypedArray {
  const out = new Type(size);
  for (let i = 0; i < size; i++) out[i] = Math.fround(rng.uniform(-1, 1));
  return out;
}

export function expectFloat32Close(actual: TypedArray, expected: TypedArray, what: string): void {
  const scale = Math.max(1, ...Array.from(expected, Math.abs));
  expectAllClose(actual, expected, { atol: 1e-5 * scale, rtol: 1e-5 }, what);
}

export const like = (x: TypedArray, size: number): TypedArray =>
  x instanceof Float64Array ? new Float64Array(size) : new Float32Array(size);

/** Max pooling forward (argmax and values exactly) and backward (within float32) of `kernels` against the reference. */
export function expectMaxPoolMatches(kernels: Pool2dKernels, g: MaxPool2dGeometry, x: TypedArray, rng: Generator): void {
  const size = g.planes * g.outH * g.outW;
  const [out, want] = [like(x, size), like(x, size)];
  const [argmax, wantArgmax] = [new Int32Array(size), new Int32Array(size)];
  kernels.maxPool2dForward(x, g, out, argmax);
  referencePool2d.maxPool2dForward(x, g, want, wantArgmax);
  expect(Array.from(argmax), 'argmax').to.deep.equal(Array.from(wantArgmax));
  expect(Array.from(out), 'forward (gathered exactly)').to.deep.equal(Array.from(want));
  const dy = randomValues(x instanceof Float64Array ? Float64Array : Float32Array, size, rng);
  const [dx, wantDx] = [like(x, x.length), like(x, x.length)];
  kernels.maxPool2dBackward(dy, argmax, g, dx);
  referencePool2d.maxPool2dBackward(dy, argmax, g, wantDx);
  expectFloat32Close(dx, wantDx, 'backward');
}

/** Average pooling forward and backward of `kernels` against the reference, within float32. */
export function expectAvgPoolMatches(kernels: Pool2dKernels, g: AvgPool2dGeometry, x: TypedArray, rng: Generator): void {
  const size = g.planes * g.rows.start.length * g.cols.start.length;
  const [out, want] = [like(x, size), like(x, size)];
  kernels.avgPool2dForward(x, g, out);
  referencePool2d.avgPool2dForward(x, g, want);
  expectFloat32Close(out, want, 'forward');
  const dy = randomValues(x instanceof Float64Array ? Float64Array : Float32Array, size, rng);
  const [dx, wantDx] = [like(x, x.length), like(x, x.length)];
  kernels.avgPool2dBackward(dy, g, dx);
  referencePool2d.avgPool2dBackward(dy, g, wantDx);
  expectFloat32Close(dx, wantDx, 'backward');
}

/**
 * Defines, for every case and array type, one spec comparing `kernels`' max pooling with the
 * reference and one per divisor rule for average pooling (which ignores the case's dilation);
 * `seeds` make each case's data.
 */
export function itMatchesReferenceOn(
  kernels: Pool2dKernels,
  cases: readonly PoolCase[],
  types: readonly FloatArrayType[],
  seeds: { max: number; avg: number },
): void {
  cases.forEach((c, index) => {
    for (const Type of types) {
      it(`max: ${JSON.stringify(c)}, ${Type.name}`, () => {
        const rng = new Generator(seeds.max + index);
        expectMaxPoolMatches(kernels, maxGeometry(c), randomValues(Type, c.planes * c.inH * c.inW, rng), rng);
      });
      for (const rule of ['include', 'exclude', 'override'] as const) {
        it(`avg (${rule} pad): ${JSON.stringify({ ...c, d: undefined })}, ${Type.name}`, () => {
          const rng = new Generator(seeds.avg + index);
          expectAvgPoolMatches(kernels, avgGeometry(c, rule), randomValues(Type, c.planes * c.inH * c.inW, rng), rng);
        });
      }
    }
  });
}
