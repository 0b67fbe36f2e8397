import { expect } from 'chai';
import { gradcheck, manualSeed, ones, randn, type Tensor } from '../index';
import { GaussianDropout, gaussianDropout } from '../nn/drop/gaussian-dropout';
import { expectWithinStandardErrors, mean, variance } from './helpers/stats';

describe('GaussianDropout', () => {
  beforeEach(() => manualSeed(3));

  it('multiplies by N(1, p/(1-p)) noise: mean 1 and the variance of the matching Bernoulli mask', () => {
    const n = 200000;
    const p = 0.2;
    const noise = gaussianDropout(ones([n]), p).data;
    const sigma2 = p / (1 - p);
    expectWithinStandardErrors(mean(noise), 1, Math.sqrt(sigma2), n, 'mean');
    // The sample variance of n normals has standard deviation σ²·√(2/n).
    expectWithinStandardErrors(variance(noise), sigma2, sigma2 * Math.sqrt(2), n, 'variance');
  });

  it('is the identity in eval mode and refuses p = 1 (infinite variance)', () => {
    const x = randn([3]);
    expect(new GaussianDropout(0.5).eval().forward(x)).to.equal(x);
    expect(() => gaussianDropout(x, 1)).to.throw('gaussianDropout: p must be a probability in [0, 1), got 1');
    expect(() => new GaussianDropout(1)).to.throw('GaussianDropout: p must be a probability in [0, 1), got 1');
  });

  it('gradcheck in training mode with a fixed seed', () => {
    gradcheck((t: Tensor) => new GaussianDropout(0.3).forward(t), [randn([3, 4], { requiresGrad: true })], { seed: 1 });
  });
});
