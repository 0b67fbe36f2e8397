import { expect } from 'chai';
import { gradcheck, manualSeed, ones, randn, Tensor } from '../index';
import { Dropout2d, dropout2d } from '../nn/drop/dropout2d';
import { expectRate, zeroFraction } from './helpers/stats';

describe('Dropout2d', () => {
  beforeEach(() => manualSeed(2));

  it('drops whole channels at rate p: each (sample, channel) map is all zero or all scaled', () => {
    const [n, c, h, w] = [200, 50, 3, 4];
    const layer = new Dropout2d(0.25);
    const y = layer.forward(ones([n, c, h, w])).data;
    expect(layer.lastMask!.shape).to.deep.equal([n, c, 1, 1]);
    for (let map = 0; map < n * c; map++) {
      const values = new Set(y.subarray(map * h * w, (map + 1) * h * w));
      expect(values.size).to.equal(1);
      expect([0, 1 / 0.75]).to.include([...values][0]);
    }
    expectRate(zeroFraction(layer.lastMask!.data), 0.25, n * c, 'channel drop rate');
  });

  it('accepts unbatched [C,H,W] and refuses other ranks with the shape', () => {
    expect(new Dropout2d(0.5).forward(randn([3, 2, 2])).shape).to.deep.equal([3, 2, 2]);
    expect(() => dropout2d(randn([3, 4]), 0.5)).to.throw('dropout2d: input must be [N,C,H,W] or [C,H,W], got [3,4]');
    expect(() => dropout2d(randn([1, 1, 2, 2]), 2)).to.throw('dropout2d: p must be a probability in [0, 1], got 2');
  });

  it('is the identity in eval mode', () => {
    const x = randn([2, 3, 4, 4]);
    expect(new Dropout2d(0.5).eval().forward(x)).to.equal(x);
    expect(dropout2d(x, 0.5, false)).to.equal(x);
  });

  it('gradcheck in training mode with a fixed seed', () => {
    const x = randn([2, 3, 3, 2], { requiresGrad: true });
    gradcheck((t: Tensor) => dropout2d(t, 0.5), [x], { seed: 5 });
  });
});
