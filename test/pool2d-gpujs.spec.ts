import { expect } from 'chai';
import { Generator } from '../index';
import { gpujsPool2d } from '../kernels/pool2d/gpujs';
import { referencePool2d } from '../kernels/pool2d/reference';
import { adaptiveWindows } from '../kernels/pool2d';
import type { AvgPool2dGeometry, MaxPool2dGeometry } from '../kernels/pool2d';
import { configureGpuJs, gpuJsStatus } from '../kernels/gpujs/context';
import { avgGeometry, expectAvgPoolMatches, itMatchesReferenceOn, maxGeometry, poolCases, randomValues } from './helpers/pool2d-cases';
import { installedGpuJs } from './helpers/gpujs';

describe('pool2d gpu.js kernels match the reference', () => {
  before(function () {
    installedGpuJs(this);
    configureGpuJs();
  });
  afterEach(() => expect(gpuJsStatus(), 'gpu.js is still in use').to.include({ available: true }));

  itMatchesReferenceOn(gpujsPool2d, poolCases, [Float64Array, Float32Array], { max: 500, avg: 700 });

  it('adaptive average pooling (overlapping, uneven bins), forward and backward', () => {
    const rng = new Generator(900);
    const g: AvgPool2dGeometry = { planes: 3, inH: 7, inW: 10, rows: adaptiveWindows(7, 3), cols: adaptiveWindows(10, 4) };
    expectAvgPoolMatches(gpujsPool2d, g, randomValues(Float64Array, 3 * 70, rng), rng);
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
    const g: MaxPool2dGeometry = { ...maxGeometry(poolCases[0]), planes: 0 };
    const empty = new Float64Array(0);
    gpujsPool2d.maxPool2dForward(empty, g, empty, new Int32Array(0));
    gpujsPool2d.maxPool2dBackward(empty, new Int32Array(0), g, empty);
    const avg: AvgPool2dGeometry = { ...avgGeometry(poolCases[0], 'include'), planes: 0 };
    gpujsPool2d.avgPool2dForward(empty, avg, empty);
    gpujsPool2d.avgPool2dBackward(empty, avg, empty);
  });
});
