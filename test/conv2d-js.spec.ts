import { expect } from 'chai';
import { Generator } from '../index';
import type { TypedArray } from '../index';
import { jsConv2d } from '../kernels/conv2d/js';
import { referenceConv2d } from '../kernels/conv2d/reference';
import { conv2dGeometry, outputShape } from '../kernels/conv2d';
import type { Conv2dGeometry, Conv2dKernels, Conv2dOptions } from '../kernels/conv2d';
import { sizeOf } from '../lib/shape';

interface Case {
  x: number[];
  w: number[];
  options: Conv2dOptions;
}

// Odd sizes, strides, paddings, dilations, groups (depthwise too), batch 1, a pointwise kernel
// (the path that skips im2col), and two shapes big enough to cross the GEMM's cache blocks.
const cases: Case[] = [
  { x: [2, 3, 7, 5], w: [4, 3, 3, 3], options: { padding: 1 } },
  { x: [1, 5, 9, 11], w: [7, 5, 3, 2], options: { stride: 2, padding: [1, 0] } },
  { x: [3, 4, 8, 9], w: [6, 2, 3, 3], options: { groups: 2, stride: [1, 2], padding: 2 } },
  { x: [2, 6, 10, 7], w: [6, 1, 3, 3], options: { groups: 6, padding: 1 } },
  { x: [1, 6, 9, 9], w: [12, 1, 5, 5], options: { groups: 6, stride: 2, padding: 2, dilation: 1 } },
  { x: [2, 3, 11, 10], w: [5, 3, 3, 3], options: { dilation: 2, padding: 'same' } },
  { x: [1, 2, 6, 8], w: [3, 2, 2, 4], options: { padding: 'same' } },
  { x: [2, 8, 5, 7], w: [9, 8, 1, 1], options: {} },
  { x: [1, 6, 5, 7], w: [4, 3, 1, 1], options: { groups: 2 } },
  { x: [2, 4, 9, 6], w: [3, 4, 1, 1], options: { stride: 2, padding: 1 } },
  { x: [1, 3, 13, 13], w: [2, 3, 4, 3], options: { stride: [3, 2], dilation: [1, 3], padding: [0, 3] } },
  { x: [1, 32, 48, 48], w: [5, 32, 3, 3], options: { padding: 1 } },
  { x: [2, 2, 6, 6], w: [130, 2, 3, 3], options: {} },
];

function random(Type: Float32ArrayConstructor | Float64ArrayConstructor, size: number, rng: Generator): TypedArray {
  const out = new Type(size);
  for (let i = 0; i < size; i++) out[i] = rng.uniform(-1, 1);
  return out;
}

/** max |actual − expected| relative to the largest |expected| (at least 1). */
function relativeError(actual: TypedArray, expected: TypedArray): number {
  let err = 0;
  let scale = 1;
  for (let i = 0; i < expected.length; i++) {
    err = Math.max(err, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return err / scale;
}

/** Runs one kernel into a NaN-filled destination, so an entry it forgets to write shows up. */
function run(like: TypedArray, size: number, kernel: (out: TypedArray) => void): TypedArray {
  const out = like instanceof Float64Array ? new Float64Array(size) : new Float32Array(size);
  out.fill(Number.NaN);
  kernel(out);
  return out;
}

function compare(
  kernels: { js: Conv2dKernels; reference: Conv2dKernels },
  geo: Conv2dGeometry,
  x: TypedArray,
  w: TypedArray,
  b: TypedArray,
  gy: TypedArray,
  tolerance: number,
): void {
  const both = (fn: (k: Conv2dKernels) => (out: TypedArray) => void, size: number): number =>
    relativeError(run(x, size, fn(kernels.js)), run(x, size, fn(kernels.reference)));
  expect(
    both((k) => (out) => k.forward(x, w, b, geo, out), gy.length),
    'forward',
  ).to.be.below(tolerance);
  expect(
    both((k) => (out) => k.forward(x, w, null, geo, out), gy.length),
    'forward without bias',
  ).to.be.below(tolerance);
  expect(
    both((k) => (out) => k.backwardInput(gy, w, geo, out), x.length),
    'backwardInput',
  ).to.be.below(tolerance);
  expect(
    both((k) => (out) => k.backwardWeight(gy, x, geo, out), w.length),
    'backwardWeight',
  ).to.be.below(tolerance);
}

describe('conv2d js kernels match the reference', () => {
  cases.forEach(({ x: xShape, w: wShape, options }, index) => {
    for (const [Type, tolerance] of [
      [Float32Array, 1e-4],
      [Float64Array, 1e-10],
    ] as const) {
      it(`x ${JSON.stringify(xShape)}, w ${JSON.stringify(wShape)}, ${JSON.stringify(options)}, ${Type === Float32Array ? 'float32' : 'float64'}`, () => {
        const rng = new Generator(100 + index);
        const geo = conv2dGeometry(xShape, wShape, [wShape[0]], options);
        const x = random(Type, sizeOf(xShape), rng);
        const w = random(Type, sizeOf(wShape), rng);
        const b = random(Type, wShape[0], rng);
        const gy = random(Type, sizeOf(outputShape(geo)), rng);
        compare({ js: jsConv2d, reference: referenceConv2d }, geo, x, w, b, gy, tolerance);
      });
    }
  });

  it('gives the same result when called again (scratch buffers are reused, never stale)', () => {
    const rng = new Generator(5);
    const big = conv2dGeometry([1, 4, 9, 9], [3, 4, 3, 3], null, { padding: 1 });
    const small = conv2dGeometry([1, 2, 5, 5], [3, 2, 3, 3], null, { padding: 1 });
    const x = random(Float64Array, 2 * 25, rng);
    const w = random(Float64Array, 3 * 2 * 9, rng);
    const first = run(x, 75, (out) => jsConv2d.forward(x, w, null, small, out));
    jsConv2d.forward(random(Float64Array, 4 * 81, rng), random(Float64Array, 3 * 4 * 9, rng), null, big, new Float64Array(3 * 81));
    expect(Array.from(run(x, 75, (out) => jsConv2d.forward(x, w, null, small, out)))).to.deep.equal(Array.from(first));
  });
});
