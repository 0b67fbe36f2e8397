import { expect } from 'chai';
import { Generator } from '../index';
import { wasmPool2d } from '../kernels/pool2d/wasm';
import { referencePool2d } from '../kernels/pool2d/reference';
import { jsPool2d } from '../kernels/pool2d/js';
import { type AvgPool2dGeometry, type MaxPool2dGeometry, adaptiveWindows } from '../kernels/pool2d';
import {
  type PoolCase,
  avgGeometry,
  expectAvgPoolMatches,
  expectMaxPoolMatches,
  itMatchesReferenceOn,
  maxGeometry,
  poolCases,
  randomValues,
} from './helpers/pool2d-cases';
import { expectSameBits, withThreads } from './helpers/wasm-threads';

// Beyond the shared cases: 2×2 stride 2 (the SIMD path) on widths with and without a column tail,
// ceil mode's half windows on odd sizes, MaxPool2d(2) on the training step's shape, and rows wide
// enough for the four-window path of other geometries.
const twoByTwo = (planes: number, inH: number, inW: number, ceil: boolean): PoolCase => ({
  planes,
  inH,
  inW,
  k: [2, 2],
  s: [2, 2],
  p: [0, 0],
  d: [1, 1],
  ceil,
});
const cases: PoolCase[] = [
  ...poolCases,
  twoByTwo(3, 9, 19, true),
  twoByTwo(3, 9, 19, false),
  twoByTwo(2, 14, 14, false),
  twoByTwo(1, 16, 8, false),
  twoByTwo(64 * 2, 28, 28, false),
  { planes: 2, inH: 11, inW: 23, k: [3, 3], s: [2, 2], p: [1, 1], d: [1, 1], ceil: true },
  // Four-at-a-time windows of any stride, up to the last column they may read (and one past it).
  { planes: 3, inH: 6, inW: 9, k: [3, 3], s: [1, 1], p: [1, 1], d: [1, 1], ceil: false },
  { planes: 2, inH: 12, inW: 27, k: [3, 2], s: [2, 3], p: [1, 1], d: [2, 4], ceil: true },
];

/** Values from {−∞, −1, 0, 1, NaN}: ties, NaNs (the last one wins) and −∞ in every lane position. */
function awkward(size: number, rng: Generator): Float32Array {
  const choices = [Number.NEGATIVE_INFINITY, -1, 0, 1, Number.NaN];
  return Float32Array.from({ length: size }, () => choices[Math.floor(rng.uniform(0, choices.length))]);
}

describe('pool2d wasm kernels match the reference', () => {
  itMatchesReferenceOn(wasmPool2d, cases, [Float32Array], { max: 1500, avg: 1700 });

  cases.forEach((c, index) => {
    it(`max with ties, NaN and −∞: ${JSON.stringify(c)}`, () => {
      const rng = new Generator(1600 + index);
      expectMaxPoolMatches(wasmPool2d, maxGeometry(c), awkward(c.planes * c.inH * c.inW, rng), rng);
    });
  });

  it('adaptive average pooling (overlapping, uneven bins) and global average pooling', () => {
    const rng = new Generator(1900);
    const uneven: AvgPool2dGeometry = { planes: 3, inH: 7, inW: 10, rows: adaptiveWindows(7, 3), cols: adaptiveWindows(10, 4) };
    expectAvgPoolMatches(wasmPool2d, uneven, randomValues(Float32Array, 3 * 70, rng), rng);
    const global: AvgPool2dGeometry = { planes: 5, inH: 9, inW: 6, rows: adaptiveWindows(9, 1), cols: adaptiveWindows(6, 1) };
    expectAvgPoolMatches(wasmPool2d, global, randomValues(Float32Array, 5 * 54, rng), rng);
  });

  it('max pooling: windows entirely in the padding give −∞ and argmax −1 (large dilation)', () => {
    const g: MaxPool2dGeometry = { planes: 2, inH: 3, inW: 2, outH: 2, outW: 2, kH: 2, kW: 2, sH: 2, sW: 3, pH: 1, pW: 2, dH: 1, dW: 5 };
    const rng = new Generator(1950);
    expectMaxPoolMatches(wasmPool2d, g, randomValues(Float32Array, 12, rng), rng);
    const argmax = new Int32Array(8);
    wasmPool2d.maxPool2dForward(new Float32Array(12), g, new Float32Array(8), argmax);
    expect(Array.from(argmax)).to.include(-1);
  });

  it('an empty batch (planes 0): every pass runs and writes nothing', () => {
    const empty = new Float32Array(0);
    const g: MaxPool2dGeometry = { ...maxGeometry(poolCases[0]), planes: 0 };
    wasmPool2d.maxPool2dForward(empty, g, empty, new Int32Array(0));
    wasmPool2d.maxPool2dBackward(empty, new Int32Array(0), g, empty);
    const avg: AvgPool2dGeometry = { ...avgGeometry(poolCases[0], 'include'), planes: 0 };
    wasmPool2d.avgPool2dForward(empty, avg, empty);
    wasmPool2d.avgPool2dBackward(empty, avg, empty);
  });

  it('float64 takes the js kernels (the wasm kernels are float32 only) and matches the reference', () => {
    const rng = new Generator(1960);
    expectMaxPoolMatches(wasmPool2d, maxGeometry(poolCases[0]), randomValues(Float64Array, 3 * 35, rng), rng);
    expectAvgPoolMatches(wasmPool2d, avgGeometry(poolCases[0], 'exclude'), randomValues(Float64Array, 3 * 35, rng), rng);
  });

  it('gives bitwise the same results on 1 and 2 threads', () => {
    const rng = new Generator(1970);
    const max = maxGeometry(twoByTwo(48, 33, 35, true));
    const overlapping = maxGeometry({ planes: 48, inH: 33, inW: 35, k: [3, 3], s: [1, 2], p: [1, 1], d: [1, 1], ceil: false });
    const avg = avgGeometry({ planes: 48, inH: 33, inW: 35, k: [3, 3], s: [1, 2], p: [1, 1], d: [1, 1], ceil: true }, 'exclude');
    const x = randomValues(Float32Array, 48 * 33 * 35, rng) as Float32Array;
    const run = (): ArrayBufferView[] => {
      const outputs: ArrayBufferView[] = [];
      for (const g of [max, overlapping]) {
        const size = g.planes * g.outH * g.outW;
        const [out, argmax, dx] = [new Float32Array(size), new Int32Array(size), new Float32Array(x.length)];
        wasmPool2d.maxPool2dForward(x, g, out, argmax);
        wasmPool2d.maxPool2dBackward(out, argmax, g, dx);
        outputs.push(out, argmax, dx);
      }
      const out = new Float32Array(avg.planes * avg.rows.start.length * avg.cols.start.length);
      const dx = new Float32Array(x.length);
      wasmPool2d.avgPool2dForward(x, avg, out);
      wasmPool2d.avgPool2dBackward(out, avg, dx);
      return [...outputs, out, dx];
    };
    expectSameBits(withThreads(2, run), withThreads(1, run));
  });

  it('writes the whole gradient whatever it held (dx = the scatter onto +0), as the interface says', () => {
    const g = maxGeometry(twoByTwo(2, 8, 8, false));
    const x = randomValues(Float32Array, 128, new Generator(1980));
    const [out, argmax] = [new Float32Array(32), new Int32Array(32)];
    wasmPool2d.maxPool2dForward(x, g, out, argmax);
    out[3] = -0; // lands as +0, as on a zero-filled dx
    const want = new Float32Array(128).fill(0.5);
    referencePool2d.maxPool2dBackward(out, argmax, g, want);
    expect(Object.is(want[argmax[3]], 0), 'the reference gives +0').to.equal(true);
    for (const [name, kernels] of [
      ['wasm', wasmPool2d],
      ['js', jsPool2d],
    ] as const) {
      const dx = new Float32Array(128).fill(Number.NaN);
      kernels.maxPool2dBackward(out, argmax, g, dx);
      expect(Array.from(dx), name).to.deep.equal(Array.from(want));
    }
  });
});
