import { expect } from 'chai';
import { Generator } from '../index';
import type { TypedArray } from '../index';
import { gpujsConv2d } from '../kernels/conv2d/gpujs';
import { referenceConv2d } from '../kernels/conv2d/reference';
import { conv2dGeometry, outputShape } from '../kernels/conv2d';
import type { Conv2dOptions } from '../kernels/conv2d';
import { configureGpuJs, gpuJsStatus } from '../kernels/gpujs/context';
import { sizeOf } from '../lib/shape';
import { expectAllClose } from './helpers/close';

// Small on purpose: this machine runs gpu.js in its 'cpu' mode, which interprets every thread.
// Odd sizes, strides, padding (incl. asymmetric 'same'), dilation, groups (depthwise too), batch 1.
const cases: Array<{ x: number[]; w: number[]; options: Conv2dOptions }> = [
  { x: [2, 3, 7, 5], w: [4, 3, 3, 3], options: { padding: 1 } },
  { x: [1, 5, 9, 11], w: [7, 5, 3, 2], options: { stride: 2, padding: [1, 0] } },
  { x: [3, 4, 8, 9], w: [6, 2, 3, 3], options: { groups: 2, stride: [1, 2], padding: 2 } },
  { x: [2, 6, 10, 7], w: [6, 1, 3, 3], options: { groups: 6, padding: 1 } },
  { x: [1, 6, 9, 9], w: [12, 1, 5, 5], options: { groups: 6, stride: 2, padding: 2 } },
  { x: [2, 3, 11, 10], w: [5, 3, 3, 3], options: { dilation: 2, padding: 'same' } },
  { x: [1, 2, 6, 8], w: [3, 2, 2, 4], options: { padding: 'same' } },
  { x: [2, 8, 5, 7], w: [9, 8, 1, 1], options: {} },
  { x: [1, 3, 13, 13], w: [2, 3, 4, 3], options: { stride: [3, 2], dilation: [1, 3], padding: [0, 3] } },
  { x: [1, 4, 9, 6], w: [3, 4, 1, 1], options: { stride: 2, padding: 1 } },
];

function random(Type: Float32ArrayConstructor | Float64ArrayConstructor, size: number, rng: Generator): TypedArray {
  const out = new Type(size);
  for (let i = 0; i < size; i++) out[i] = rng.uniform(-1, 1);
  return out;
}

/** float32 accuracy relative to the result's magnitude: |a − b| ≤ 1e-4·scale + 1e-4·|b|. */
function expectFloat32Close(actual: TypedArray, expected: TypedArray, what: string): void {
  const scale = Math.max(1, ...Array.from(expected, Math.abs));
  expectAllClose(actual, expected, { atol: 1e-4 * scale, rtol: 1e-4 }, what);
}

/** Runs a kernel into a NaN-filled destination of `like`'s type, so an unwritten entry shows up. */
function run(like: TypedArray, size: number, kernel: (out: TypedArray) => void): TypedArray {
  const out = like instanceof Float64Array ? new Float64Array(size) : new Float32Array(size);
  out.fill(Number.NaN);
  kernel(out);
  return out;
}

describe('conv2d gpu.js kernels match the reference', () => {
  before(() => configureGpuJs());
  afterEach(() => {
    // A gpu.js failure falls back to 'js' silently after one warning; that must not pass as parity.
    expect(gpuJsStatus(), 'gpu.js is still in use').to.include({ available: true });
  });

  it(`runs on gpu.js (mode ${JSON.stringify(gpuJsStatus())})`, () => {
    expect(gpuJsStatus().available).to.equal(true);
  });

  cases.forEach(({ x: xShape, w: wShape, options }, index) => {
    for (const Type of [Float64Array, Float32Array]) {
      it(`x ${JSON.stringify(xShape)}, w ${JSON.stringify(wShape)}, ${JSON.stringify(options)}, ${Type.name}`, () => {
        const rng = new Generator(300 + index);
        const geo = conv2dGeometry(xShape, wShape, [wShape[0]], options);
        const x = random(Type, sizeOf(xShape), rng);
        const w = random(Type, sizeOf(wShape), rng);
        const b = random(Type, wShape[0], rng);
        const gy = random(Type, sizeOf(outputShape(geo)), rng);
        for (const [what, size, kernel] of [
          ['forward', gy.length, (k: typeof referenceConv2d) => (out: TypedArray) => k.forward(x, w, b, geo, out)],
          ['forward without bias', gy.length, (k: typeof referenceConv2d) => (out: TypedArray) => k.forward(x, w, null, geo, out)],
          ['backwardInput', x.length, (k: typeof referenceConv2d) => (out: TypedArray) => k.backwardInput(gy, w, geo, out)],
          ['backwardWeight', w.length, (k: typeof referenceConv2d) => (out: TypedArray) => k.backwardWeight(gy, x, geo, out)],
        ] as const) {
          const actual = run(x, size, kernel(gpujsConv2d));
          expect(actual, `${what}: result type`).to.be.instanceOf(Type);
          expectFloat32Close(actual, run(x, size, kernel(referenceConv2d)), what);
        }
      });
    }
  });

  it('handles an empty batch (gpu.js takes no empty arrays: the js kernel does the no-op)', () => {
    const geo = conv2dGeometry([0, 2, 5, 5], [3, 2, 3, 3], null, {});
    const gradWeight = new Float64Array(3 * 2 * 9).fill(Number.NaN);
    gpujsConv2d.backwardWeight(new Float64Array(0), new Float64Array(0), geo, gradWeight);
    expect(Array.from(gradWeight).every((v) => v === 0)).to.equal(true);
  });
});
