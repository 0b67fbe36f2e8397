import { expect } from 'chai';
import type { TypedArray } from '../index';
import { gpujsConv2d } from '../kernels/conv2d/gpujs';
import { referenceConv2d } from '../kernels/conv2d/reference';
import { conv2dGeometry } from '../kernels/conv2d';
import type { Conv2dOptions } from '../kernels/conv2d';
import { configureGpuJs, gpuJsStatus } from '../kernels/gpujs/context';
import { expectAllClose } from './helpers/close';
import { randomConv2dPasses, runIntoNaN } from './helpers/conv2d-problem';
import { installedGpuJs } from './helpers/gpujs';

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

/** float32 accuracy relative to the result's magnitude: |a − b| ≤ 1e-4·scale + 1e-4·|b|. */
function expectFloat32Close(actual: TypedArray, expected: TypedArray, what: string): void {
  const scale = Math.max(1, ...Array.from(expected, Math.abs));
  expectAllClose(actual, expected, { atol: 1e-4 * scale, rtol: 1e-4 }, what);
}

describe('conv2d gpu.js kernels match the reference', () => {
  before(function () {
    installedGpuJs(this);
    configureGpuJs();
  });
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
        for (const [what, size, kernel] of randomConv2dPasses(Type, xShape, wShape, options, 300 + index)) {
          const like = new Type(0);
          const actual = runIntoNaN(like, size, kernel(gpujsConv2d));
          expect(actual, `${what}: result type`).to.be.instanceOf(Type);
          expectFloat32Close(actual, runIntoNaN(like, size, kernel(referenceConv2d)), what);
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
