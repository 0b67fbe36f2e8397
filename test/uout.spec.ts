import { expect } from 'chai';
import { gradcheck, manualSeed, ones, randn, type Tensor } from '../index';
import { Uout, uout } from '../nn/drop/uout';
import { expectWithinStandardErrors, mean, variance } from './helpers/stats';

describe('Uout', () => {
  beforeEach(() => manualSeed(4));

  it('multiplies by 1 + U(-β, β): mean 1, variance β²/3, bounded', () => {
    const n = 200000;
    const beta = 0.3;
    const noise = uout(ones([n]), beta).data;
    expect(noise.every((v) => v >= 1 - beta && v < 1 + beta)).to.equal(true);
    const var3 = (beta * beta) / 3;
    expectWithinStandardErrors(mean(noise), 1, Math.sqrt(var3), n, 'mean');
    // Var of the sample variance of U(-β, β): (μ4 − σ⁴)/n with μ4 = β⁴/5.
    expectWithinStandardErrors(variance(noise), var3, Math.sqrt(beta ** 4 / 5 - var3 ** 2), n, 'variance');
  });

  it('is the identity in eval mode and at β = 0; rejects negative β', () => {
    const x = randn([3]);
    expect(new Uout(0.1).eval().forward(x)).to.equal(x);
    expect(uout(x, 0)).to.equal(x);
    expect(() => uout(x, -0.1)).to.throw('uout: beta must be a finite number ≥ 0, got -0.1');
    expect(() => new Uout(NaN)).to.throw('Uout: beta must be a finite number ≥ 0, got NaN');
  });

  it('gradcheck in training mode with a fixed seed', () => {
    const layer = new Uout(0.5);
    gradcheck((t: Tensor) => layer.forward(t), [randn([2, 3, 2, 2], { requiresGrad: true })], { seed: 8 });
  });
});
