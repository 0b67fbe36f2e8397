import { expect } from 'chai';
import { Generator, gradcheck, manualSeed, randn, type Tensor } from '../index';
import { AlphaDropout, alphaDropout } from '../nn/drop/alpha-dropout';
import { expectWithinStandardErrors, mean, variance } from './helpers/stats';

describe('AlphaDropout', () => {
  beforeEach(() => manualSeed(5));

  it('keeps zero mean and unit variance for standard normal inputs', () => {
    const n = 200000;
    const y = alphaDropout(randn([n]), 0.2).data;
    expectWithinStandardErrors(mean(y), 0, 1, n, 'mean');
    expect(variance(y)).to.be.closeTo(1, 0.02);
  });

  it('sets dropped units to the same constant a·α′ + b', () => {
    const layer = new AlphaDropout(0.5);
    const y = layer.forward(randn([1000])).data;
    const dropped = new Set(
      Array.from(y)
        .filter((_, i) => layer.lastMask!.data[i] === 0)
        .map((v) => v.toFixed(12)),
    );
    expect(dropped.size).to.equal(1);
  });

  it('is the identity in eval mode; p = 1 gives zeros', () => {
    const x = randn([4]);
    expect(new AlphaDropout(0.5).eval().forward(x)).to.equal(x);
    expect(alphaDropout(x, 0.5, { training: false })).to.equal(x);
    expect(alphaDropout(x, 1).data.every((v) => v === 0)).to.equal(true);
  });

  it('the layer computes what the functional form computes', () => {
    const x = randn([3, 7]);
    const y = new AlphaDropout(0.4, { generator: new Generator(2) }).forward(x);
    expect(Array.from(y.data)).to.deep.equal(Array.from(alphaDropout(x, 0.4, { generator: new Generator(2) }).data));
  });

  it('gradcheck in training mode with a fixed seed', () => {
    gradcheck((t: Tensor) => new AlphaDropout(0.3).forward(t), [randn([3, 5], { requiresGrad: true })], { seed: 2 });
  });
});
