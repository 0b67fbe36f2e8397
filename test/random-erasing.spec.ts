import { expect } from 'chai';
import { Generator, gradcheck, manualSeed, ones, randn, type Tensor } from '../index';
import { RandomErasing, randomErasing, randomErasingMasks } from '../nn/drop/random-erasing';
import { expectRate } from './helpers/stats';

describe('RandomErasing', () => {
  beforeEach(() => manualSeed(9));

  it('erases an image with probability p, with a rectangle of the requested area range', () => {
    const [n, h, w] = [3000, 16, 16];
    const { keep } = randomErasingMasks(ones([n, 1, h, w]), 0.4);
    let erased = 0;
    for (let i = 0; i < n; i++) {
      const zeros = keep.data.subarray(i * h * w, (i + 1) * h * w).filter((v) => v === 0).length;
      if (zeros === 0) continue;
      erased++;
      // Rounding h and w can stretch the area a little beyond [0.02, 0.33]·H·W.
      expect(zeros / (h * w)).to.be.within(0.01, 0.4);
    }
    expectRate(erased / n, 0.4, n, 'erase rate');
  });

  it('fills with the value in every channel, or with random noise', () => {
    const y = randomErasing(ones([1, 3, 8, 8]), 1, { value: 5 }).data;
    const fives = Array.from(y)
      .map((v, i) => (v === 5 ? i % 64 : -1))
      .filter((i) => i >= 0);
    expect(fives.length % 3).to.equal(0);
    expect(fives.length).to.be.greaterThan(0);
    const noisy = randomErasing(ones([1, 1, 8, 8]), 1, { value: 'random' }).data;
    expect(noisy.some((v) => v !== 1 && v !== 0)).to.equal(true);
  });

  it('validates its options and is the identity in eval', () => {
    expect(() => randomErasing(randn([1, 4, 4]), 2)).to.throw('randomErasing: p must be a probability in [0, 1], got 2');
    expect(() => randomErasing(randn([1, 4, 4]), 0.5, { scale: [0.5, 0.1] })).to.throw(
      'randomErasing: scale must be an ordered pair in [0, 1], got [0.5, 0.1]',
    );
    // The layer names itself, as every drop layer does (DropBlock2d, Cutout, …).
    expect(() => new RandomErasing(2)).to.throw('RandomErasing: p must be a probability in [0, 1], got 2');
    expect(() => new RandomErasing(0.5, { ratio: [0, 1] })).to.throw(
      'RandomErasing: ratio must be an ordered pair of positive numbers, got [0, 1]',
    );
    const x = randn([1, 4, 4]);
    expect(new RandomErasing().eval().forward(x)).to.equal(x);
    expect(randomErasing(x, 1, { training: false })).to.equal(x);
  });

  it('the layer computes what the functional form computes, and keeps the keep mask', () => {
    const x = randn([2, 3, 8, 8]);
    const layer = new RandomErasing(0.7, { value: 'random', generator: new Generator(5) });
    const y = layer.forward(x);
    expect(Array.from(y.data)).to.deep.equal(Array.from(randomErasing(x, 0.7, { value: 'random', generator: new Generator(5) }).data));
    expect(layer.lastMask!.shape).to.deep.equal([2, 1, 8, 8]);
  });

  it('gradcheck with a fixed seed (gradient is zero inside the rectangle)', () => {
    gradcheck((t: Tensor) => randomErasing(t, 1, { value: 0.5 }), [randn([1, 2, 6, 6], { requiresGrad: true })], { seed: 4 });
  });
});
