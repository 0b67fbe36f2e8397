import { expect } from 'chai';
import { Generator, gradcheck, manualSeed, ones, randn, type Tensor } from '../index';
import { Dropout, dropout, dropoutMask } from '../nn/drop/dropout';
import { expectRate, expectWithinStandardErrors, mean, zeroFraction } from './helpers/stats';

describe('Dropout', () => {
  beforeEach(() => manualSeed(1));

  it('drops at rate p and scales kept units by 1/(1-p)', () => {
    const n = 100000;
    const y = dropout(ones([n]), 0.3).data;
    expectRate(zeroFraction(y), 0.3, n, 'drop rate');
    expect(new Set(y)).to.deep.equal(new Set([0, 1 / 0.7]));
  });

  it('preserves the mean: E[y] = x', () => {
    const n = 100000;
    const y = dropout(ones([n]).mul(2), 0.5).data;
    // y ∈ {0, 4} with equal probability: sd = 2.
    expectWithinStandardErrors(mean(y), 2, 2, n, 'mean');
  });

  it('is the identity in eval mode and at p = 0; p = 1 gives zeros, not NaN', () => {
    const x = randn([3, 4]);
    expect(dropout(x, 0.5, { training: false })).to.equal(x);
    expect(dropout(x, 0)).to.equal(x);
    const layer = new Dropout(0.5).eval();
    expect(layer.forward(x)).to.equal(x);
    expect(dropout(x, 1).data.every((v) => v === 0)).to.equal(true);
  });

  it('refuses the old positional training flag instead of silently applying the mask', () => {
    const oldCall = dropout as unknown as (x: Tensor, p: number, training: boolean) => Tensor;
    expect(() => oldCall(randn([2]), 0.5, false)).to.throw('dropout: options must be an object such as { training: false }, got false');
    expect(() => dropout(randn([2]), 0.5, { training: 'no' as unknown as boolean })).to.throw(
      'dropout: options.training must be a boolean, got no',
    );
  });

  it('rejects p outside [0, 1] naming the value', () => {
    expect(() => dropout(randn([2]), 1.5)).to.throw('dropout: p must be a probability in [0, 1], got 1.5');
    expect(() => new Dropout(-0.1)).to.throw('Dropout: p must be a probability in [0, 1], got -0.1');
  });

  it('exposes the mask of the last forward and is reproducible from a generator', () => {
    const layer = new Dropout(0.5, { generator: new Generator(4) });
    const x = randn([5, 5]);
    const y = layer.forward(x);
    expect(Array.from(y.data)).to.deep.equal(Array.from(x.data, (v, i) => v * layer.lastMask!.data[i]));
    expect(Array.from(dropoutMask(x, 0.5, { generator: new Generator(4) }).data)).to.deep.equal(Array.from(layer.lastMask!.data));
  });

  it('gradcheck in training mode with a fixed seed (same mask under every perturbation)', () => {
    const x = randn([4, 5], { requiresGrad: true });
    const layer = new Dropout(0.4);
    gradcheck((t: Tensor) => layer.forward(t), [x], { seed: 9 });
    gradcheck((t: Tensor) => dropout(t, 0.4, { generator: new Generator(2) }), [x]);
  });
});
