/**
 * batchNorm is twice differentiable, in eval mode (running statistics: y is affine in x, so the
 * backward is gy·γ/σ and its own backward simple) and in training mode (batch statistics: the
 * backward gx = (γ/σ)(gy − mean(gy) − x̂·mean(gy·x̂)) written in Tensor ops of x, as PyTorch's
 * batchnorm_double_backward differentiates it). gradgradcheck (float64, reference kernels,
 * PyTorch's tolerances) w.r.t. input, weight and bias over 2-D to 5-D inputs, affine or not, batch
 * 1; and the createGraph gradients equal to the first-order kernel ones within rounding.
 */
import { expect } from 'chai';
import { F, type Tensor, concat, grad, gradgradcheck, manualSeed, mul, rand, randn, tanh, tensor, withBackend } from '../index';

const leaf = (shape: number[]): Tensor => randn(shape, { requiresGrad: true });
const cat2 = (parts: Tensor[]): Tensor => concat(parts, 1).detach().requiresGrad_();

const shapes = [
  [4, 3],
  [2, 3, 5],
  [2, 2, 3, 3],
  [1, 2, 3, 4],
  [2, 2, 2, 2, 3],
];

/** Running statistics for `channels` channels (buffers: they never require grad). */
function runningStats(channels: number): [Tensor, Tensor] {
  return [randn([channels]), rand([channels]).add(0.5)];
}

describe('batchNorm: double backward', () => {
  beforeEach(() => manualSeed(21));

  for (const training of [false, true]) {
    const mode = training ? 'training (batch statistics)' : 'eval (running statistics)';
    describe(`gradgradcheck in ${mode}`, () => {
      for (const shape of shapes) {
        for (const affine of [true, false]) {
          it(`x ${JSON.stringify(shape)}${affine ? ', weight and bias' : ', affine false'}`, () => {
            const channels = shape[1];
            // Training with buffers would update them on every call of the check: batch statistics come from null buffers.
            const [runningMean, runningVar] = training ? [null, null] : runningStats(channels);
            const inputs = affine ? [leaf(shape), leaf([channels]), leaf([channels])] : [leaf(shape)];
            const bn = (...t: Tensor[]): Tensor => F.batchNorm(t[0], runningMean, runningVar, t[1] ?? null, t[2] ?? null, training);
            for (const fn of [bn, (...t: Tensor[]) => mul(tanh(bn(...t)), bn(...t))]) {
              const report = withBackend('reference', () => gradgradcheck(fn, inputs, { raiseException: false }));
              expect(report.passed, report.message).to.equal(true);
            }
          });
        }
      }
    });
  }

  it('refuses createGraph through a constant channel with eps = 0 (σ = 0, which first order takes as σ⁻¹ = 0) instead of giving NaN', () => {
    const x = cat2([leaf([3, 1, 2]), tensor([[[1, 1]], [[1, 1]], [[1, 1]]])]);
    const y = F.batchNorm(x, null, null, null, null, true, 0.1, 0);
    const g = leaf(y.shape);
    expect(() => grad(y, [x], g, { createGraph: true })).to.throw(
      'batchNorm: double backward through channel 1, constant with eps = 0 (σ = 0), is not supported',
    );
    expect(grad(y, [x], g)[0]!.data.every(Number.isFinite), 'first order').to.equal(true);
  });

  it('a weight changed in place between forward and backward is refused, as PyTorch (which saves it for backward)', () => {
    const weight = leaf([2]);
    const y = F.batchNorm(leaf([2, 2, 3]), null, null, weight, null, true).sum();
    weight.storage[0] = 2;
    expect(() => y.backward()).to.throw('input 3 of batchNorm (shape [2]) is at version 1; expected version 0');
  });

  it('the createGraph gradients equal the first-order ones within rounding, and have a graph', () => {
    for (const training of [false, true]) {
      const x = leaf([3, 4, 3, 2]);
      const weight = leaf([4]);
      const bias = leaf([4]);
      const [runningMean, runningVar] = runningStats(4);
      const y = F.batchNorm(x, runningMean, runningVar, weight, bias, training);
      const g = leaf(y.shape);
      const plain = grad(y, [x, weight, bias], g, { retainGraph: true });
      const graphed = grad(y, [x, weight, bias], g, { createGraph: true });
      for (const [i, t] of graphed.entries()) {
        expect(t!.gradFn, `training ${training}, input ${i}`).to.not.equal(null);
        const expected = plain[i]!.data;
        for (const [k, v] of t!.data.entries()) expect(v, `training ${training}, input ${i}`).to.be.closeTo(expected[k], 1e-12);
      }
    }
  });
});
