import { expect } from 'chai';
import { gradcheck, manualSeed, rand, randn, tensor } from '../index';
import { abs, clamp, exp, log, sqrt } from '../lib/ops/unary';
import { transposedLeaf } from './helpers/inputs';
import { expectTensorClose } from './helpers/close';
import { kinkFreeRandn } from './helpers/inputs';

describe('unary ops', () => {
  beforeEach(() => manualSeed(11));

  it('computes exp, log, sqrt and abs', () => {
    expectTensorClose(exp(tensor([0, 1, -1])), [1, Math.E, 1 / Math.E]);
    expectTensorClose(
      log(
        tensor([
          [1, Math.E],
          [Math.E ** 2, 0.5],
        ]),
      ),
      [
        [0, 1],
        [2, -Math.LN2],
      ],
    );
    expect(sqrt(tensor([4, 9, 0.25])).toArray()).to.deep.equal([2, 3, 0.5]);
    expect(abs(tensor([-2, 0, 3.5])).toArray()).to.deep.equal([2, 0, 3.5]);
  });

  it('keeps the input dtype', () => {
    expect(exp(tensor([1], { dtype: 'float32' })).dtype).to.equal('float32');
  });

  it('clamps with both bounds or only one', () => {
    const x = tensor([-2, -1, 0, 1, 2]);
    expect(clamp(x, { min: -1, max: 1 }).toArray()).to.deep.equal([-1, -1, 0, 1, 1]);
    expect(clamp(x, { min: 0.5 }).toArray()).to.deep.equal([0.5, 0.5, 0.5, 1, 2]);
    expect(clamp(x, { max: -1.5 }).toArray()).to.deep.equal([-2, -1.5, -1.5, -1.5, -1.5]);
    // min > max: every value becomes max, as in PyTorch.
    expect(clamp(x, { min: 1, max: 0 }).toArray()).to.deep.equal([0, 0, 0, 0, 0]);
  });

  it('refuses a bound that is not a number (a Tensor bound gave all NaN)', () => {
    const x = tensor([1, 2]);
    expect(() => clamp(x, { min: tensor([0]) as unknown as number })).to.throw(
      TypeError,
      'clamp: bounds.min must be a number, got a Tensor',
    );
    expect(() => clamp(x, { max: '1' as unknown as number })).to.throw(TypeError, 'clamp: bounds.max must be a number, got "1"');
  });

  it('passes clamp gradients inside and on the bounds, not outside (as PyTorch)', () => {
    const x = tensor([-2, -1, 0, 1, 2], { requiresGrad: true });
    clamp(x, { min: -1, max: 1 }).backward(tensor([1, 2, 3, 4, 5]));
    expect(x.grad!.toArray()).to.deep.equal([0, 2, 3, 4, 0]);
  });

  it('gives abs the subgradient 0 at 0', () => {
    const x = tensor([-3, 0, 2], { requiresGrad: true });
    abs(x).backward(tensor([1, 1, 1]));
    expect(x.grad!.toArray()).to.deep.equal([-1, 0, 1]);
  });

  it('gradcheck: exp, log, sqrt on contiguous and transposed inputs', () => {
    gradcheck((x) => exp(x), [randn([3, 4], { requiresGrad: true })]);
    gradcheck((x) => exp(x), [transposedLeaf(randn([4, 3]))]);
    const positive = () => rand([3, 4]).add(0.5);
    gradcheck((x) => log(x), [positive().requiresGrad_()]);
    gradcheck((x) => log(x), [transposedLeaf(positive())]);
    gradcheck((x) => sqrt(x), [positive().requiresGrad_()]);
    gradcheck((x) => sqrt(x), [transposedLeaf(positive())]);
  });

  it('gradcheck: abs and clamp away from their kinks', () => {
    gradcheck((x) => abs(x), [kinkFreeRandn([3, 4], [0]).requiresGrad_()]);
    gradcheck((x) => abs(x), [transposedLeaf(kinkFreeRandn([4, 3], [0]))]);
    const bounds = { min: -0.5, max: 0.7 };
    gradcheck((x) => clamp(x, bounds), [kinkFreeRandn([3, 4], [-0.5, 0.7]).requiresGrad_()]);
    gradcheck((x) => clamp(x, bounds), [transposedLeaf(kinkFreeRandn([4, 3], [-0.5, 0.7]))]);
    gradcheck((x) => clamp(x, { min: 0 }), [kinkFreeRandn([6], [0]).requiresGrad_()]);
  });

  it('refuses clamp without any bound', () => {
    expect(() => clamp(tensor([1]), {})).to.throw('clamp: at least one of bounds.min and bounds.max must be given');
  });
});
