import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { mean, sampleStd, summarize, welchConfidenceInterval, welchPValue, welchTTest } from '../app/statistics/welch';
import { Generator } from '../lib/random/generator';
import { logGamma, regularizedIncompleteBeta } from '../app/statistics/incomplete-beta';

interface WelchCase {
  name: string;
  a: number[];
  b: number[];
  t: number;
  df: number;
  pValue: number;
}

const cases = JSON.parse(readFileSync('test/fixtures/welch.json', 'utf8')) as WelchCase[];

describe('statistics: Welch t-test against scipy', () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = welchTTest(c.a, c.b);
      expect(r.t).to.be.closeTo(c.t, 1e-9 * Math.max(1, Math.abs(c.t)));
      expect(r.df).to.be.closeTo(c.df, 1e-9 * c.df);
      expect(r.pValue).to.be.closeTo(c.pValue, 1e-10 + 1e-8 * c.pValue);
    });
  }

  it('is symmetric: swapping the samples negates t and keeps p', () => {
    const [a, b] = [cases[0].a, cases[0].b];
    expect(welchTTest(b, a).t).to.equal(-welchTTest(a, b).t);
    expect(welchTTest(b, a).pValue).to.equal(welchTTest(a, b).pValue);
  });

  it('gives p = 1 for two identical constant samples and p = 0 for two different ones', () => {
    expect(welchTTest([0.9, 0.9, 0.9], [0.9, 0.9]).pValue).to.equal(1);
    expect(welchTTest([0.9, 0.9, 0.9], [0.8, 0.8]).pValue).to.equal(0);
  });

  it('welchPValue: the p of welchTTest, or null when a side has a single seed', () => {
    const [a, b] = [cases[0].a, cases[0].b];
    expect(welchPValue(a, b)).to.equal(welchTTest(a, b).pValue);
    expect(welchPValue([0.9], b)).to.equal(null);
    expect(welchPValue(a, [0.8])).to.equal(null);
  });

  it('names the sample that has too few or non-finite values', () => {
    expect(() => welchTTest([0.9], [0.8, 0.7])).to.throw(RangeError, 'a needs at least 2 values (one per seed), got 1');
    expect(() => welchTTest([0.9, 0.8], [0.8, Number.NaN])).to.throw(RangeError, 'b holds a non-finite value: [0.8, NaN]');
  });
});

interface IntervalCase {
  name: string;
  a: number[];
  b: number[];
  df: number;
  ci95: [number, number];
}

/** Welch's 95% intervals for welch.json's samples, from mpmath at 50 digits (scripts/fixtures/student-t.py). */
const intervals = (JSON.parse(readFileSync('test/fixtures/student-t.json', 'utf8')) as { welchIntervals: IntervalCase[] }).welchIntervals;

describe('statistics: Welch confidence interval of the difference of means', () => {
  it('matches mpmath on the Welch fixtures', () => {
    expect(intervals).to.have.length.above(10);
    for (const c of intervals) {
      const [low, high] = welchConfidenceInterval(c.a, c.b);
      const width = c.ci95[1] - c.ci95[0];
      expect(low, c.name).to.be.closeTo(c.ci95[0], 1e-10 * width);
      expect(high, c.name).to.be.closeTo(c.ci95[1], 1e-10 * width);
    }
  });

  it('contains the difference, and excludes 0 exactly when p < 1 − level', () => {
    for (const c of cases.filter((k) => Number.isFinite(k.df))) {
      const [low, high] = welchConfidenceInterval(c.a, c.b);
      expect(mean(c.a) - mean(c.b), c.name).to.be.within(low, high);
      expect(low > 0 || high < 0, c.name).to.equal(c.pValue < 0.05);
      const [low99, high99] = welchConfidenceInterval(c.a, c.b, 0.99);
      expect(low99 < low && high99 > high, `${c.name}: 99% is wider`).to.equal(true);
    }
  });

  it('covers the true difference about 95% of the time, and narrows as seeds are added', () => {
    const generator = new Generator(7);
    const sample = (n: number, mu: number, sigma: number): number[] => Array.from({ length: n }, () => generator.normal(mu, sigma));
    let covered = 0;
    const trials = 2000;
    for (let i = 0; i < trials; i++) {
      const [low, high] = welchConfidenceInterval(sample(5, 0.85, 0.01), sample(4, 0.84, 0.02));
      if (low <= 0.01 && 0.01 <= high) covered++;
    }
    // Binomial(2000, 0.95) has a std of 0.5 points: 93.5% … 96.5% is three of them.
    expect(covered / trials).to.be.within(0.935, 0.965);
    const meanWidth = (n: number): number => {
      let total = 0;
      for (let i = 0; i < 200; i++) {
        const [low, high] = welchConfidenceInterval(sample(n, 0.85, 0.01), sample(n, 0.84, 0.01));
        total += high - low;
      }
      return total / 200;
    };
    const widths = [3, 5, 8, 20].map(meanWidth);
    for (let i = 1; i < widths.length; i++) expect(widths[i], `n ${[3, 5, 8, 20][i]}`).to.be.below(widths[i - 1]);
  });

  it('is the difference itself for two constant samples; names a bad level or sample', () => {
    expect(welchConfidenceInterval([0.9, 0.9, 0.9], [0.8, 0.8])).to.deep.equal([0.9 - 0.8, 0.9 - 0.8]);
    expect(() => welchConfidenceInterval([1, 2], [1, 2], 95)).to.throw(
      RangeError,
      'welchConfidenceInterval: level must be in (0, 1), got 95',
    );
    expect(() => welchConfidenceInterval([1, 2], [1])).to.throw(
      RangeError,
      'welchConfidenceInterval: b needs at least 2 values (one per seed), got 1',
    );
  });
});

describe('statistics: summaries and special functions', () => {
  it('mean and sample std (n − 1) as numpy with ddof=1', () => {
    expect(mean([1, 2, 3, 4])).to.equal(2.5);
    expect(sampleStd([1, 2, 3, 4])).to.be.closeTo(1.2909944487358056, 1e-15);
    expect(sampleStd([5])).to.equal(0);
    expect(summarize([1, 3])).to.deep.equal({ mean: 2, std: Math.SQRT2, values: [1, 3] });
    expect(() => mean([])).to.throw(RangeError, 'mean: no values');
  });

  it('logGamma matches known values, including through the reflection', () => {
    expect(logGamma(1)).to.be.closeTo(0, 1e-14);
    expect(logGamma(5)).to.be.closeTo(Math.log(24), 1e-13);
    expect(logGamma(0.5)).to.be.closeTo(Math.log(Math.sqrt(Math.PI)), 1e-14);
    expect(logGamma(0.1)).to.be.closeTo(2.252712651734206, 1e-13);
  });

  it('regularizedIncompleteBeta: closed forms on both sides of the symmetry switch', () => {
    // I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(1/2, 1/2) = (2/π) asin √x
    for (const x of [0.01, 0.3, 0.7, 0.99]) {
      expect(regularizedIncompleteBeta(x, 1, 1)).to.be.closeTo(x, 1e-14);
      expect(regularizedIncompleteBeta(x, 3, 1)).to.be.closeTo(x ** 3, 1e-14);
      expect(regularizedIncompleteBeta(x, 0.5, 0.5)).to.be.closeTo((2 / Math.PI) * Math.asin(Math.sqrt(x)), 1e-13);
    }
    expect(regularizedIncompleteBeta(0, 2, 3)).to.equal(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).to.equal(1);
    expect(() => regularizedIncompleteBeta(1.5, 2, 3)).to.throw(RangeError, 'x must be in [0, 1], got 1.5');
    expect(() => regularizedIncompleteBeta(0.5, 0, 3)).to.throw(RangeError, 'a and b must be positive, got a=0, b=3');
  });
});
