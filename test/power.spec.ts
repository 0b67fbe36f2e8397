import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { normalCdf } from '../app/statistics/normal';
import { noncentralTCdf } from '../app/statistics/noncentral-t';
import { approximateDetectableDifference, minimumDetectableDifference, seedsNeeded, tTestPower } from '../app/statistics/power';
import { studentTCdf, studentTQuantile, studentTSurvival } from '../app/statistics/student-t';
import { mean, sampleStd, welchTTest } from '../app/statistics/welch';
import { Generator } from '../lib/random/generator';

interface Fixture {
  normal: { x: number; p: number }[];
  noncentralT: { t: number; df: number; noncentrality: number; p: number }[];
  detectable: { n: number; level: number; power: number; difference: number }[];
  seeds: { difference: number; level: number; power: number; n: number }[];
}

/** mpmath at 30 digits, by direct integration of the definitions (scripts/fixtures/power.py). */
const fixture = JSON.parse(readFileSync('test/fixtures/power.json', 'utf8')) as Fixture;

/** The error a call throws, or '' when it returns. */
const thrown = (call: () => unknown): string => {
  try {
    call();
    return '';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('statistics: the normal CDF', () => {
  it('matches mpmath to 1e-15, through both expansions and far into the tails', () => {
    for (const { x, p } of fixture.normal) expect(normalCdf(x), `x ${x}`).to.be.closeTo(p, 1e-15);
    // The continued fraction keeps relative accuracy where the CDF is tiny.
    const far = fixture.normal.find((c) => c.x === -9)!;
    expect(Math.abs(normalCdf(-9) - far.p) / far.p).to.be.below(1e-13);
    expect([normalCdf(-Infinity), normalCdf(Infinity)]).to.deep.equal([0, 1]);
    expect(thrown(() => normalCdf(Number.NaN))).to.equal('normalCdf: x must be a number, got NaN');
  });
});

describe('statistics: the noncentral t CDF', () => {
  it('matches mpmath’s integral of the definition to 1e-12, both signs of t and λ', () => {
    for (const { t, df, noncentrality, p } of fixture.noncentralT)
      expect(noncentralTCdf(t, df, noncentrality), `t ${t}, df ${df}, λ ${noncentrality}`).to.be.closeTo(p, 1e-12);
    expect(new Set(fixture.noncentralT.map((c) => Math.sign(c.t * c.noncentrality)))).to.deep.equal(new Set([-1, 0, 1]));
  });

  it('is the central t at λ = 0 and Φ(−λ) at t = 0; P(T′ ≤ t; λ) = 1 − P(T′ ≤ −t; −λ)', () => {
    for (const t of [-2, 0.3, 4]) expect(noncentralTCdf(t, 7, 0)).to.equal(studentTCdf(t, 7));
    expect(noncentralTCdf(0, 5, 1.3)).to.be.closeTo(normalCdf(-1.3), 1e-15);
    for (const [t, df, lambda] of [
      [1.7, 6, 2.2],
      [-0.4, 3, -1],
    ])
      expect(noncentralTCdf(t, df, lambda) + noncentralTCdf(-t, df, -lambda)).to.be.closeTo(1, 1e-14);
  });

  it('gives way to the normal approximation where the series would underflow, within 0.005', () => {
    // λ = 37.6 is just inside the series, 37.7 just beyond it; scipy.stats.nct.cdf gives 0.699591 and 0.690949.
    expect(noncentralTCdf(40, 50, 37.6)).to.be.closeTo(0.6995906115533, 1e-12);
    expect(noncentralTCdf(40, 50, 37.7)).to.be.closeTo(0.6909493423044, 0.005);
    expect(noncentralTCdf(10, 8, 60)).to.be.below(1e-10);
  });

  it('refuses a bad ν, t or λ by name', () => {
    expect(thrown(() => noncentralTCdf(1, 0, 1))).to.equal(
      'noncentralTCdf: df must be a positive finite number of degrees of freedom, got 0',
    );
    expect(thrown(() => noncentralTCdf(Number.NaN, 3, 1))).to.equal('noncentralTCdf: t must be a number, got NaN');
    expect(thrown(() => noncentralTCdf(1, 3, Infinity))).to.equal('noncentralTCdf: noncentrality must be a finite number, got Infinity');
  });
});

describe('statistics: power of the two-sample t-test', () => {
  it('gives G*Power’s actual power for Cohen’s d = 0.5 with 64 per group and d = 0.8 with 26', () => {
    // G*Power 3 (t tests, means, two independent groups, two tails, α = 0.05): "Actual power".
    expect(tTestPower({ difference: 0.5, sigma: 1, n: 64 })).to.be.closeTo(0.8014596, 5e-8);
    expect(tTestPower({ difference: 0.8, sigma: 1, n: 26 })).to.be.closeTo(0.8074866, 5e-8);
    // In the units of σ: the same test on accuracies with σ = 0.5 points.
    expect(tTestPower({ difference: 0.25, sigma: 0.5, n: 64 })).to.be.closeTo(0.8014596, 5e-8);
  });

  it('is α at no difference, α/m with m comparisons, and rises with the difference', () => {
    expect(tTestPower({ difference: 0, sigma: 1, n: 5 })).to.be.closeTo(0.05, 1e-14);
    expect(tTestPower({ difference: 0, sigma: 1, n: 5, alpha: 0.05, comparisons: 9 })).to.be.closeTo(0.05 / 9, 1e-14);
    const powers = [0.5, 1, 2, 4].map((d) => tTestPower({ difference: d, sigma: 1, n: 5 }));
    expect(powers).to.deep.equal([...powers].sort((a, b) => a - b));
    expect(tTestPower({ difference: -2, sigma: 1, n: 5 })).to.be.closeTo(powers[2], 1e-14);
  });

  it('the minimum detectable difference matches mpmath’s root of power(δ) = target', () => {
    for (const { n, level, power, difference } of fixture.detectable) {
      const found = minimumDetectableDifference({ n, sigma: 1, alpha: level, power });
      expect(found, `n ${n}, α ${level}, power ${power}`).to.be.closeTo(difference, 1e-10 * difference);
    }
    // Bonferroni's m divides α: the same as passing α/m.
    expect(minimumDetectableDifference({ n: 5, sigma: 1, alpha: 0.05, comparisons: 9 })).to.equal(
      minimumDetectableDifference({ n: 5, sigma: 1, alpha: 0.05 / 9 }),
    );
    // Linear in σ.
    expect(minimumDetectableDifference({ n: 8, sigma: 0.64, power: 0.8 })).to.be.closeTo(0.64 * 1.5066342278766856, 1e-12);
  });

  it('the closed form (t_{1−α/2} + t_{1−β})·σ·√(2/n) lies below the exact δ, by 0.2% at n = 5 and 15% at n = 2, α/9', () => {
    const ratio = (n: number, alpha: number) =>
      approximateDetectableDifference({ n, sigma: 1, alpha }) / minimumDetectableDifference({ n, sigma: 1, alpha });
    expect(ratio(5, 0.05)).to.be.within(0.997, 0.999);
    expect(ratio(5, 0.05 / 9)).to.be.within(0.97, 0.975);
    expect(ratio(2, 0.05 / 9)).to.be.within(0.84, 0.86);
    expect(ratio(64, 0.05)).to.be.within(0.9998, 1.0002);
    expect(approximateDetectableDifference({ n: 5, sigma: 1 })).to.be.closeTo(
      (studentTQuantile(0.975, 8) + studentTQuantile(0.8, 8)) * Math.sqrt(2 / 5),
      1e-15,
    );
  });

  it('seeds needed: the first n whose power reaches the target (64 for d = 0.5, as G*Power)', () => {
    for (const { difference, level, power, n } of fixture.seeds) {
      expect(seedsNeeded({ difference, sigma: 1, alpha: level, power }), `d ${difference}, α ${level}`).to.equal(n);
      expect(tTestPower({ difference, sigma: 1, n, alpha: level })).to.be.at.least(power);
      if (n > 2) expect(tTestPower({ difference, sigma: 1, n: n - 1, alpha: level })).to.be.below(power);
    }
    expect(seedsNeeded({ difference: 0.5, sigma: 1 })).to.equal(64);
    expect(seedsNeeded({ difference: -0.0125, sigma: 0.005, alpha: 0.05, comparisons: 9 })).to.equal(7);
    // A huge difference still needs two values per arm: one has no variance to test.
    expect(seedsNeeded({ difference: 100, sigma: 1 })).to.equal(2);
  });

  it('a seeded simulation rejects at the target rate at δ: Student’s test at 80%, Welch’s about 2 points below', () => {
    const n = 5;
    const delta = minimumDetectableDifference({ n, sigma: 1 });
    const generator = new Generator(2301);
    const trials = 20000;
    let [student, welch] = [0, 0];
    for (let trial = 0; trial < trials; trial++) {
      const a = Array.from({ length: n }, () => generator.normal(delta, 1));
      const b = Array.from({ length: n }, () => generator.normal(0, 1));
      // Student's pooled test (equal variances), which the power is exact for.
      const pooled = Math.sqrt(((sampleStd(a) ** 2 + sampleStd(b) ** 2) / 2) * (2 / n));
      if (2 * studentTSurvival(Math.abs(mean(a) - mean(b)) / pooled, 2 * n - 2) < 0.05) student++;
      if (welchTTest(a, b).pValue < 0.05) welch++;
    }
    // The binomial standard error at 0.8 over 20,000 trials is 0.0028: a band of 3.5 of them.
    expect(student / trials).to.be.closeTo(0.8, 0.01);
    expect(welch / trials).to.be.within(0.76, 0.79);
  });

  it('refuses unknown options, a power the test has at δ = 0, too few seeds and a zero difference', () => {
    expect(thrown(() => minimumDetectableDifference({ n: 5, sigma: 1, pwer: 0.8 } as never))).to.match(
      /^minimumDetectableDifference: unknown option 'pwer' \(did you mean 'power'\?\)/,
    );
    expect(thrown(() => minimumDetectableDifference({ n: 5, sigma: 1, power: 0.04 }))).to.equal(
      'minimumDetectableDifference: power must be in (α/m, 1) = (0.05, 1), got 0.04',
    );
    expect(thrown(() => tTestPower({ difference: 1, sigma: 1, n: 1 }))).to.equal(
      'tTestPower: n must be an integer ≥ 2 (values per arm), got 1',
    );
    expect(thrown(() => seedsNeeded({ difference: 0, sigma: 1 }))).to.equal(
      'seedsNeeded: difference must be a finite nonzero number, got 0',
    );
    expect(thrown(() => seedsNeeded({ difference: 1e-9, sigma: 1 }))).to.match(
      /^seedsNeeded: a difference of 1e-9 at σ = 1 needs more than 1000000000 values per arm$/,
    );
    expect(thrown(() => approximateDetectableDifference({ n: 5, sigma: 0 }))).to.equal(
      'approximateDetectableDifference: sigma must be a positive finite standard deviation, got 0',
    );
    expect(thrown(() => tTestPower({ difference: 1, sigma: 1, n: 5, comparisons: 0 }))).to.equal(
      "tTestPower: comparisons must be a positive integer (the family's size m), got 0",
    );
  });
});
