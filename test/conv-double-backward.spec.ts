/**
 * conv2d and convTranspose2d are twice differentiable: with createGraph, conv2d's input gradient
 * is convTranspose2d, its weight gradient the op conv2dWeightGrad, and convTranspose2d's are
 * conv2d and conv2dWeightGrad again. gradgradcheck (float64, reference kernels, PyTorch's
 * tolerances) over strides, paddings ('same' too), dilations, groups, outputPadding, batch 1 and 2,
 * odd sizes, with and without bias; the third derivatives through conv2dWeightGrad's own backward; and
 * the first-order gradients unchanged by the createGraph path.
 */
import { expect } from 'chai';
import { F, type Tensor, grad, gradcheck, gradgradcheck, manualSeed, randn, withBackend } from '../index';
import type { Conv2dOptions } from '../lib/ops/conv2d';
import { conv2dWeightGrad } from '../lib/ops/conv2d-weight-grad';
import { conv2dGeometry, outputShape } from '../kernels/conv2d';
import { convTranspose2dCases } from './helpers/conv-transpose2d-cases';

const conv2dCases: Array<{ x: number[]; w: number[]; options: Conv2dOptions; bias?: boolean }> = [
  { x: [2, 2, 5, 4], w: [3, 2, 3, 3], options: { padding: 1 } },
  { x: [1, 2, 5, 6], w: [2, 2, 2, 3], options: { stride: 2, padding: [1, 0] } },
  { x: [1, 1, 5, 5], w: [2, 1, 3, 3], options: { padding: 'same', dilation: 2 } },
  { x: [1, 2, 4, 5], w: [2, 2, 2, 4], options: { padding: 'same' }, bias: false },
  { x: [1, 4, 5, 4], w: [4, 2, 3, 2], options: { groups: 2, stride: [2, 1], padding: 1 } },
  { x: [2, 3, 5, 5], w: [3, 1, 3, 3], options: { groups: 3, stride: 2 }, bias: false },
  { x: [1, 3, 3, 5], w: [2, 3, 1, 1], options: {} },
];

const leaf = (shape: number[]): Tensor => randn(shape, { requiresGrad: true });
const label = (x: number[], w: number[], options: object, bias: boolean): string =>
  `x ${JSON.stringify(x)}, w ${JSON.stringify(w)}, ${JSON.stringify(options)}${bias ? ', bias' : ''}`;

describe('conv2d and convTranspose2d: double backward', () => {
  beforeEach(() => manualSeed(21));

  describe('gradgradcheck of conv2d w.r.t. input, weight and bias', () => {
    for (const { x, w, options, bias = true } of conv2dCases) {
      it(label(x, w, options, bias), () => {
        const inputs = bias ? [leaf(x), leaf(w), leaf([w[0]])] : [leaf(x), leaf(w)];
        const report = withBackend('reference', () =>
          gradgradcheck((...t) => F.conv2d(t[0], t[1], t[2] ?? null, options), inputs, { raiseException: false }),
        );
        expect(report.passed, report.message).to.equal(true);
      });
    }
  });

  describe('gradgradcheck of convTranspose2d w.r.t. input, weight and bias', () => {
    for (const { x, w, options, bias = true } of convTranspose2dCases) {
      it(label(x, w, options, bias), () => {
        const outC = w[1] * (options.groups ?? 1);
        const inputs = bias ? [leaf(x), leaf(w), leaf([outC])] : [leaf(x), leaf(w)];
        const report = withBackend('reference', () =>
          gradgradcheck((...t) => F.convTranspose2d(t[0], t[1], t[2] ?? null, options), inputs, { raiseException: false }),
        );
        expect(report.passed, report.message).to.equal(true);
      });
    }
  });

  it("conv2dWeightGrad passes gradcheck and gradgradcheck (conv2d's third derivatives)", () => {
    const x = leaf([2, 4, 5, 6]);
    const w = [4, 2, 3, 2];
    const geo = conv2dGeometry(x.shape, w, null, { stride: [2, 1], padding: 1, dilation: [1, 2], groups: 2 });
    const gy = leaf(outputShape(geo));
    withBackend('reference', () => {
      gradcheck((a: Tensor, b: Tensor) => conv2dWeightGrad(a, b, geo), [x, gy]);
      gradgradcheck((a: Tensor, b: Tensor) => conv2dWeightGrad(a, b, geo), [x, gy]);
    });
  });

  it('createGraph gives the first-order gradients (within rounding) and a graph through conv2dWeightGrad and convTranspose2d', () => {
    const x = leaf([2, 4, 6, 5]);
    const w = leaf([6, 2, 3, 3]);
    const b = leaf([6]);
    const options = { stride: 2, padding: 1, groups: 2 };
    const y = F.conv2d(x, w, b, options);
    const g = leaf(y.shape);
    const plain = grad(y, [x, w, b], g, { retainGraph: true });
    const graphed = grad(y, [x, w, b], g, { createGraph: true });
    // The engine hands each gradient over through a cast to the input's dtype (here the identity).
    expect(graphed.map((t) => t!.gradFn?.inputs[0]?.gradFn?.name)).to.deep.equal(['convTranspose2d', 'conv2dWeightGrad', 'sum']);
    for (const [i, t] of graphed.entries()) {
      const a = plain[i]!.data;
      const d = t!.data;
      for (let k = 0; k < a.length; k++) expect(Math.abs(a[k] - d[k])).to.be.below(1e-12 * (1 + Math.abs(a[k])));
    }
  });
});
