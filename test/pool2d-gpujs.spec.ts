import { expect } from 'chai';
import { Generator } from '../index';
import type { TypedArray } from '../index';
import { gpujsPool2d } from '../kernels/pool2d/gpujs';
import { referencePool2d } from '../kernels/pool2d/reference';
import { adaptiveWindows, avgPoolWindows, pooledSize, withDivisor } from '../kernels/pool2d';
import type { AvgPool2dGeometry, MaxPool2dGeometry } from '../kernels/pool2d';
import { configureGpuJs, gpuJsStatus } from '../kernels/gpujs/context';
import { expectAllClose } from './helpers/close';

type Pool = {
  planes: number;
  inH: number;
  inW: number;
  k: [number, number];
  s: [number, number];
  p: [number, number];
  d: [number, number];
  ceil: boolean;
};

// Small (gpu.js' cpu mode interprets every thread); odd sizes, strides, padding, dilation, ceil
// mode, a single plane, windows that overlap (stride < kernel) and ones that skip (stride > kernel).
const pools: Pool[] = [
  { planes: 3, inH: 7, inW: 5, k: [3, 3], s: [2, 2], p: [1, 1], d: [1, 1], ceil: false },
  { planes: 1, inH: 9, inW: 11, k: [2, 3], s: [1, 2], p: [0, 1], d: [1, 1], ceil: true },
  { planes: 4, inH: 8, inW: 8, k: [2, 2], s: [2, 2], p: [0, 0], d: [1, 1], ceil: false },
  { planes: 2, inH: 10, inW: 7, k: [3, 2], s: [1, 1], p: [1, 0], d: [2, 3], ceil: false },
  { planes: 2, inH: 6, inW: 9, k: [1, 2], s: [3, 3], p: [0, 1], d: [1, 1], ceil: true },
  { planes: 5, inH: 5, inW: 5, k: [5, 5], s: [1, 1], p: [2, 2], d: [1, 1], ceil: false },
  { planes: 2, inH: 13, inW: 6, k: [4, 3], s: [3, 2], p: [2, 1], d: [1, 2], ceil: true },
  { planes: 3, inH: 4, inW: 11, k: [2, 4], s: [2, 3], p: [1, 2], d: [1, 1], ceil: false },
];

const maxGeometry = (c: Pool): MaxPool2dGeometry => ({
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

/** avg pooling (no dilation) with count-include-pad on or off, or a divisor override. */
function avgGeometry(c: Pool, rule: 'include' | 'exclude' | 'override'): AvgPool2dGeometry {
  const outH = pooledSize(c.inH, c.k[0], c.s[0], c.p[0], 1, c.ceil);
  const outW = pooledSize(c.inW, c.k[1], c.s[1], c.p[1], 1, c.ceil);
  const rows = avgPoolWindows(c.inH, outH, c.k[0], c.s[0], c.p[0], rule === 'include');
  const cols = avgPoolWindows(c.inW, outW, c.k[1], c.s[1], c.p[1], rule === 'include');
  return rule === 'override'
    ? { planes: c.planes, inH: c.inH, inW: c.inW, rows: withDivisor(rows, 7), cols: withDivisor(cols, 1) }
    : { planes: c.planes, inH: c.inH, inW: c.inW, rows, cols };
}

/** Values already float32-exact, so float32 comparisons pick the same argmax as the reference. */
function random(Type: Float32ArrayConstructor | Float64ArrayConstructor, size: number, rng: Generator): TypedArray {
  const out = new Type(size);
  for (let i = 0; i < size; i++) out[i] = Math.fround(rng.uniform(-1, 1));
  return out;
}

function expectFloat32Close(actual: TypedArray, expected: TypedArray, what: string): void {
  const scale = Math.max(1, ...Array.from(expected, Math.abs));
  expectAllClose(actual, expected, { atol: 1e-5 * scale, rtol: 1e-5 }, what);
}

const like = (x: TypedArray, size: number): TypedArray => (x instanceof Float64Array ? new Float64Array(size) : new Float32Array(size));

describe('pool2d gpu.js kernels match the reference', () => {
  before(() => configureGpuJs());
  afterEach(() => expect(gpuJsStatus(), 'gpu.js is still in use').to.include({ available: true }));

  pools.forEach((c, index) => {
    for (const Type of [Float64Array, Float32Array]) {
      it(`max: ${JSON.stringify(c)}, ${Type.name}`, () => {
        const rng = new Generator(500 + index);
        const g = maxGeometry(c);
        const x = random(Type, c.planes * c.inH * c.inW, rng);
        const size = c.planes * g.outH * g.outW;
        const [out, want] = [like(x, size), like(x, size)];
        const [argmax, wantArgmax] = [new Int32Array(size), new Int32Array(size)];
        gpujsPool2d.maxPool2dForward(x, g, out, argmax);
        referencePool2d.maxPool2dForward(x, g, want, wantArgmax);
        expect(Array.from(argmax), 'argmax').to.deep.equal(Array.from(wantArgmax));
        expect(Array.from(out), 'forward (gathered exactly)').to.deep.equal(Array.from(want));
        const dy = random(Type, size, rng);
        const [dx, wantDx] = [like(x, x.length), like(x, x.length)];
        gpujsPool2d.maxPool2dBackward(dy, argmax, g, dx);
        referencePool2d.maxPool2dBackward(dy, argmax, g, wantDx);
        expectFloat32Close(dx, wantDx, 'backward');
      });

      for (const rule of ['include', 'exclude', 'override'] as const) {
        it(`avg (${rule} pad): ${JSON.stringify({ ...c, d: undefined })}, ${Type.name}`, () => {
          const rng = new Generator(700 + index);
          const g = avgGeometry(c, rule);
          const x = random(Type, c.planes * c.inH * c.inW, rng);
          const size = c.planes * g.rows.start.length * g.cols.start.length;
          const [out, want] = [like(x, size), like(x, size)];
          gpujsPool2d.avgPool2dForward(x, g, out);
          referencePool2d.avgPool2dForward(x, g, want);
          expectFloat32Close(out, want, 'forward');
          const dy = random(Type, size, rng);
          const [dx, wantDx] = [like(x, x.length), like(x, x.length)];
          gpujsPool2d.avgPool2dBackward(dy, g, dx);
          referencePool2d.avgPool2dBackward(dy, g, wantDx);
          expectFloat32Close(dx, wantDx, 'backward');
        });
      }
    }
  });

  it('adaptive average pooling (overlapping, uneven bins), forward and backward', () => {
    const rng = new Generator(900);
    const g: AvgPool2dGeometry = { planes: 3, inH: 7, inW: 10, rows: adaptiveWindows(7, 3), cols: adaptiveWindows(10, 4) };
    const x = random(Float64Array, 3 * 70, rng);
    const [out, want] = [new Float64Array(36), new Float64Array(36)];
    gpujsPool2d.avgPool2dForward(x, g, out);
    referencePool2d.avgPool2dForward(x, g, want);
    expectFloat32Close(out, want, 'forward');
    const dy = random(Float64Array, 36, rng);
    const [dx, wantDx] = [new Float64Array(210), new Float64Array(210)];
    gpujsPool2d.avgPool2dBackward(dy, g, dx);
    referencePool2d.avgPool2dBackward(dy, g, wantDx);
    expectFloat32Close(dx, wantDx, 'backward');
  });

  it('max pooling: a window entirely in the padding gives −∞ and argmax −1 (large dilation)', () => {
    const g: MaxPool2dGeometry = { planes: 1, inH: 2, inW: 2, outH: 1, outW: 2, kH: 1, kW: 2, sH: 1, sW: 3, pH: 0, pW: 2, dH: 1, dW: 5 };
    const x = Float64Array.from([1, 2, 3, 4]);
    const out = new Float64Array(2);
    const argmax = new Int32Array(2);
    gpujsPool2d.maxPool2dForward(x, g, out, argmax);
    const want = new Float64Array(2);
    const wantArgmax = new Int32Array(2);
    referencePool2d.maxPool2dForward(x, g, want, wantArgmax);
    expect([Array.from(out), Array.from(argmax)]).to.deep.equal([Array.from(want), Array.from(wantArgmax)]);
    expect(Array.from(wantArgmax)).to.include(-1);
  });

  it('an empty batch (planes 0): max and avg passes write nothing and keep gpu.js in use', () => {
    const g: MaxPool2dGeometry = { ...maxGeometry(pools[0]), planes: 0 };
    const empty = new Float64Array(0);
    gpujsPool2d.maxPool2dForward(empty, g, empty, new Int32Array(0));
    gpujsPool2d.maxPool2dBackward(empty, new Int32Array(0), g, empty);
    const avg: AvgPool2dGeometry = { ...avgGeometry(pools[0], 'include'), planes: 0 };
    gpujsPool2d.avgPool2dForward(empty, avg, empty);
    gpujsPool2d.avgPool2dBackward(empty, avg, empty);
  });
});
