/**
 * maxPool2d, avgPool2d and adaptiveAvgPool2d are twice differentiable: with createGraph max
 * pooling's backward is the op maxPool2dBackward (a scatter of gy by the saved argmax, whose
 * backward is a gather by the same argmax) and average pooling's is avgPool2dBackward (whose
 * backward is avgPool2d again). gradgradcheck (float64, reference kernels, PyTorch's tolerances)
 * over kernel, stride, padding, dilation, ceil mode, countIncludePad, divisorOverride, odd sizes,
 * batch 1 and 3-D inputs; the third derivatives through the backward ops; and the first-order
 * gradients unchanged, bit for bit, by the createGraph path.
 */
import { expect } from 'chai';
import { F, type Tensor, grad, gradgradcheck, manualSeed, mul, randn, tanh, withBackend } from '../index';
import { withGradMode } from '../lib/grad-mode';
import type { AvgPool2dOptions, IntPair, MaxPool2dOptions } from '../lib/ops/pool2d';

const leaf = (shape: number[]): Tensor => randn(shape, { requiresGrad: true });

/** gradgradcheck of fn alone and of tanh(fn)·fn (whose second derivative through the pool is not zero). */
function expectTwiceDifferentiable(fn: (x: Tensor) => Tensor, shape: number[]): void {
  for (const f of [fn, (x: Tensor) => mul(tanh(fn(x)), fn(x))]) {
    const report = withBackend('reference', () => gradgradcheck(f, [leaf(shape)], { raiseException: false }));
    expect(report.passed, report.message).to.equal(true);
  }
}

const maxCases: Array<{ x: number[]; k: IntPair; options: MaxPool2dOptions }> = [
  { x: [2, 2, 4, 4], k: 2, options: {} },
  { x: [1, 3, 5, 5], k: 3, options: { stride: 1 } },
  { x: [1, 2, 5, 7], k: [3, 2], options: { stride: [2, 1], padding: [1, 1] } },
  { x: [1, 1, 7, 6], k: 3, options: { stride: 2, padding: 1, ceilMode: true } },
  { x: [2, 1, 7, 7], k: 2, options: { dilation: 2, stride: 2 } },
  { x: [3, 5, 5], k: 2, options: { ceilMode: true } },
];

const avgCases: Array<{ x: number[]; k: IntPair; options: AvgPool2dOptions }> = [
  { x: [2, 2, 4, 4], k: 2, options: {} },
  { x: [1, 3, 5, 5], k: 3, options: { stride: 1, padding: 1 } },
  { x: [1, 2, 5, 7], k: [3, 2], options: { stride: [2, 1], padding: [1, 1], countIncludePad: false } },
  { x: [1, 1, 7, 6], k: 3, options: { stride: 2, padding: 1, ceilMode: true } },
  { x: [1, 1, 7, 6], k: 3, options: { stride: 2, padding: 1, ceilMode: true, countIncludePad: false } },
  { x: [2, 2, 5, 5], k: 2, options: { divisorOverride: 3 } },
  { x: [3, 5, 5], k: 2, options: { ceilMode: true } },
];

const adaptiveCases: Array<{ x: number[]; size: IntPair }> = [
  { x: [2, 2, 4, 4], size: 1 },
  { x: [1, 3, 5, 7], size: [3, 4] },
  { x: [1, 1, 3, 3], size: 5 },
  { x: [2, 5, 6], size: [4, 2] },
];

describe('pooling: double backward', () => {
  beforeEach(() => manualSeed(21));

  describe('gradgradcheck of maxPool2d', () => {
    for (const { x, k, options } of maxCases) {
      it(`x ${JSON.stringify(x)}, kernel ${JSON.stringify(k)}, ${JSON.stringify(options)}`, () => {
        expectTwiceDifferentiable((t) => F.maxPool2d(t, k, options), x);
      });
    }
  });

  describe('gradgradcheck of avgPool2d', () => {
    for (const { x, k, options } of avgCases) {
      it(`x ${JSON.stringify(x)}, kernel ${JSON.stringify(k)}, ${JSON.stringify(options)}`, () => {
        expectTwiceDifferentiable((t) => F.avgPool2d(t, k, options), x);
      });
    }
  });

  describe('gradgradcheck of adaptiveAvgPool2d', () => {
    for (const { x, size } of adaptiveCases) {
      it(`x ${JSON.stringify(x)}, outputSize ${JSON.stringify(size)}`, () => {
        expectTwiceDifferentiable((t) => F.adaptiveAvgPool2d(t, size), x);
      });
    }
  });

  it('third derivatives: the backward ops are differentiable again (gather ⇄ scatter, avgPool2d ⇄ its adjoint)', () => {
    const x = leaf([1, 2, 5, 5]);
    for (const pool of [(t: Tensor) => F.maxPool2d(t, 3, { stride: 2, padding: 1 }), (t: Tensor) => F.avgPool2d(t, 3, { stride: 2 })]) {
      const y = pool(x);
      const gy = leaf(y.shape);
      const [dx] = grad(y, [x], gy, { createGraph: true });
      const [dgy] = grad(mul(dx!, dx!).sum(), [gy], undefined, { createGraph: true });
      expect(dgy!.gradFn, 'the second derivative has a graph').to.not.equal(null);
      // gradgradcheck runs fn without recording first: the backward is recorded on purpose.
      const backward = (g: Tensor): Tensor => withGradMode(true, () => grad(pool(x), [x], g, { createGraph: true })[0]!);
      const report = withBackend('reference', () => gradgradcheck(backward, [gy], { raiseException: false }));
      expect(report.passed, report.message).to.equal(true);
    }
  });

  it('createGraph gives the first-order gradients bit for bit, with a graph through the backward ops', () => {
    const x = leaf([2, 3, 7, 6]);
    const cases: Array<[string, (t: Tensor) => Tensor]> = [
      ['maxPool2dBackward', (t) => F.maxPool2d(t, 3, { stride: 2, padding: 1, ceilMode: true })],
      ['avgPool2dBackward', (t) => F.avgPool2d(t, 3, { stride: 2, padding: 1, countIncludePad: false })],
      ['avgPool2dBackward', (t) => F.adaptiveAvgPool2d(t, [4, 5])],
    ];
    for (const [backwardOp, pool] of cases) {
      const y = pool(x);
      const g = leaf(y.shape);
      const [plain] = grad(y, [x], g, { retainGraph: true });
      const [graphed] = grad(y, [x], g, { createGraph: true });
      expect(plain!.gradFn, backwardOp).to.equal(null);
      expect(graphed!.gradFn?.inputs[0]?.gradFn?.name ?? graphed!.gradFn?.name, backwardOp).to.equal(backwardOp);
      expect([...graphed!.data], backwardOp).to.deep.equal([...plain!.data]);
    }
  });
});
