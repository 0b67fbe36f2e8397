import { expect } from 'chai';
import { holmAdjust } from '../app/statistics/holm';
import { Generator } from '../lib/random/generator';

const closeTo = (actual: number[], expected: number[]): void => {
  expect(actual).to.have.length(expected.length);
  for (const [i, e] of expected.entries()) expect(actual[i], `[${i}] of [${actual.join(', ')}]`).to.be.closeTo(e, 1e-15);
};

describe('statistics: Holm–Bonferroni adjustment', () => {
  it('the textbook example: sorted, multiplied by m − j + 1, made monotone, in the input order', () => {
    // 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → raised to 0.06 by the running maximum.
    closeTo(holmAdjust([0.01, 0.04, 0.03, 0.005]), [0.03, 0.06, 0.06, 0.02]);
  });

  it('caps at 1, and raises a later p to an earlier adjusted one', () => {
    closeTo(holmAdjust([0.5, 0.6, 0.01]), [1, 1, 0.03]);
    // Sorted: 0.001·5 = 0.005, 0.02·4 = 0.08, 0.03·3 = 0.09, 0.04·2 = 0.08 → 0.09, 0.2·1 = 0.2.
    closeTo(holmAdjust([0.02, 0.001, 0.04, 0.03, 0.2]), [0.08, 0.005, 0.09, 0.09, 0.2]);
  });

  it('m = 1 is the identity, m = 0 is empty, and ties adjust alike', () => {
    for (const p of [0, 0.003, 0.5, 1]) expect(holmAdjust([p])).to.deep.equal([p]);
    expect(holmAdjust([])).to.deep.equal([]);
    closeTo(holmAdjust([0.02, 0.02, 0.5]), [0.06, 0.06, 0.5]);
  });

  it('is monotone in the raw p, between p and Bonferroni’s min(1, m·p), on random families', () => {
    const generator = new Generator(23);
    for (let trial = 0; trial < 200; trial++) {
      const m = 1 + Math.floor(generator.random() * 12);
      // Squared uniforms: many small p, as in a family with real effects.
      const p = Array.from({ length: m }, () => generator.random() ** 2);
      const adjusted = holmAdjust(p);
      for (let i = 0; i < m; i++) {
        expect(adjusted[i])
          .to.be.at.least(p[i])
          .and.at.most(Math.min(1, m * p[i]));
        for (let j = 0; j < m; j++) if (p[i] < p[j]) expect(adjusted[i]).to.be.at.most(adjusted[j]);
      }
    }
  });

  it('names a p that is NaN or outside [0, 1], with its index', () => {
    expect(() => holmAdjust([0.01, Number.NaN])).to.throw(RangeError, 'holmAdjust: pValues[1] must be a p-value in [0, 1], got NaN');
    expect(() => holmAdjust([1.2])).to.throw(RangeError, 'pValues[0] must be a p-value in [0, 1], got 1.2');
    expect(() => holmAdjust([-0.1, 0.2])).to.throw(RangeError, 'got -0.1');
  });
});
