import { expect } from 'chai';
import { gradcheck, manualSeed, ones, randn, tensor, type Tensor } from '../index';
import { DropPath, dropPath, dropPathMask, linearSurvival, sampleSurvival } from '../nn/drop/drop-path';
import { expectRate, zeroFraction } from './helpers/stats';

describe('DropPath / StochasticDepth', () => {
  beforeEach(() => manualSeed(7));

  it('row mode drops whole samples at rate p and scales survivors by 1/(1-p)', () => {
    const n = 20000;
    const layer = new DropPath(0.2);
    const y = layer.forward(ones([n, 2, 3]));
    expect(layer.lastMask!.shape).to.deep.equal([n, 1, 1]);
    expectRate(zeroFraction(layer.lastMask!.data), 0.2, n, 'sample drop rate');
    for (let s = 0; s < 50; s++) expect(new Set(y.data.subarray(s * 6, s * 6 + 6)).size).to.equal(1);
    expect(new Set(layer.lastMask!.data)).to.deep.equal(new Set([0, 1.25]));
  });

  it('batch mode makes one draw for the whole batch', () => {
    let dropped = 0;
    const trials = 4000;
    for (let t = 0; t < trials; t++) {
      const mask = dropPathMask(ones([8, 3]), 0.3, { mode: 'batch' });
      expect(mask.shape).to.deep.equal([1, 1]);
      if (mask.item() === 0) dropped++;
    }
    expectRate(dropped / trials, 0.3, trials, 'batch drop rate');
  });

  it('scaleByKeep: false keeps survivors unscaled (the paper’s training rule)', () => {
    const mask = dropPathMask(ones([1000, 1]), 0.5, { scaleByKeep: false });
    expect(new Set(mask.data)).to.deep.equal(new Set([0, 1]));
  });

  it('linearSurvival follows p_l = 1 − (l/L)(1 − p_L)', () => {
    expect([0, 1, 2, 3, 4].map((l) => linearSurvival(l, 4, 0.5))).to.deep.equal([1, 0.875, 0.75, 0.625, 0.5]);
    expect(() => linearSurvival(5, 4, 0.5)).to.throw('linearSurvival: expected integers 0 ≤ l ≤ L with L ≥ 1, got l=5, L=4');
    expect(() => linearSurvival(1, 4, 2)).to.throw('linearSurvival: pL must be a probability in [0, 1], got 2');
  });

  it('sampleSurvival survives at rate p_l', () => {
    let survived = 0;
    for (let i = 0; i < 10000; i++) if (sampleSurvival(0.8)) survived++;
    expectRate(survived / 10000, 0.8, 10000, 'survival rate');
  });

  it('is the identity in eval; p = 1 gives zeros; bad mode and p are named', () => {
    const x = randn([4, 3]);
    expect(new DropPath(0.5).eval().forward(x)).to.equal(x);
    expect(dropPath(x, 0.5, { training: false })).to.equal(x);
    expect(() => dropPath(tensor(3), 0.5)).to.throw('dropPath: input must have a batch dimension (at least 1-D, [N, …]), got a 0-d tensor');
    expect(() => dropPath(tensor(3), 0.5, { training: false, mode: 'batch' })).to.throw('dropPath: input must have a batch dimension');
    expect(() => new DropPath(0.5).eval().forward(tensor(3))).to.throw('dropPath: input must have a batch dimension');
    expect(dropPath(x, 1).data.every((v) => v === 0)).to.equal(true);
    expect(() => dropPath(x, 0.5, { mode: 'column' as 'row' })).to.throw(`dropPath: mode must be 'row' or 'batch', got "column"`);
    expect(() => new DropPath(-1)).to.throw('DropPath: p must be a probability in [0, 1], got -1');
  });

  it('gradcheck in both modes with a fixed seed', () => {
    const x = randn([4, 2, 2], { requiresGrad: true });
    gradcheck((t: Tensor) => dropPath(t, 0.5, { mode: 'row' }), [x], { seed: 3 });
    gradcheck((t: Tensor) => new DropPath(0.5, { mode: 'batch' }).forward(t), [x], { seed: 3 });
  });
});
