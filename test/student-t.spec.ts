import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { studentTCdf, studentTQuantile, studentTSurvival } from '../app/statistics/student-t';

interface Fixture {
  quantiles: { p: number; df: number; t: number }[];
  cdf: { t: number; df: number; p: number }[];
}

/** mpmath at 50 digits (scripts/fixtures/student-t.py). */
const fixture = JSON.parse(readFileSync('test/fixtures/student-t.json', 'utf8')) as Fixture;

/** t_{0.975, ν} to 9 decimals as tabulated (printed tables round them to 12.706, 4.303, 2.571, 2.228, 2.042): a second route, independent of mpmath. */
const TABLE_975: ReadonlyArray<[number, number]> = [
  [1, 12.706204736],
  [2, 4.30265273],
  [5, 2.570581836],
  [10, 2.228138852],
  [30, 2.042272456],
];

describe('statistics: Student t quantile', () => {
  for (const [df, t] of TABLE_975) {
    it(`t(0.975, ${df}) = ${t}, as the printed tables give it`, () => {
      expect(studentTQuantile(0.975, df)).to.be.closeTo(t, 1e-9);
    });
  }

  it('matches mpmath at 50 digits, fractional ν and far tails included', () => {
    for (const { p, df, t } of fixture.quantiles)
      expect(studentTQuantile(p, df), `p ${p}, df ${df}`).to.be.closeTo(t, 1e-11 * Math.max(1, Math.abs(t)));
    expect(fixture.quantiles.map((q) => q.df)).to.include.members([0.5, 2.25, 7.5, 13.37]);
  });

  it('matches the closed forms at ν = 1 (Cauchy) and ν = 2', () => {
    for (const p of [0.001, 0.2, 0.7, 0.975, 0.9999]) {
      expect(studentTQuantile(p, 1)).to.be.closeTo(
        Math.tan(Math.PI * (p - 0.5)),
        1e-10 * Math.max(1, Math.abs(Math.tan(Math.PI * (p - 0.5)))),
      );
      expect(studentTQuantile(p, 2)).to.be.closeTo((2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 1e-10);
    }
  });

  it('is the inverse of the CDF, odd about p = ½, and ±Infinity at 0 and 1', () => {
    for (const df of [1, 3.5, 12])
      for (const p of [1e-9, 0.01, 0.3, 0.5, 0.8, 0.995]) {
        const t = studentTQuantile(p, df);
        expect(studentTCdf(t, df)).to.be.closeTo(p, 1e-13 + 1e-12 * p);
        // 1 − p is exact for these p (not for 1e-9, whose complement rounds).
        if (p >= 0.01) expect(studentTQuantile(1 - p, df)).to.be.closeTo(-t, 1e-12 * Math.max(1, Math.abs(t)));
      }
    expect(studentTQuantile(0.5, 4)).to.equal(0);
    expect(studentTQuantile(0, 4)).to.equal(-Infinity);
    expect(studentTQuantile(1, 4)).to.equal(Infinity);
  });

  it('names a p outside [0, 1] and a df that is not a positive finite number', () => {
    expect(() => studentTQuantile(1.5, 3)).to.throw(RangeError, 'studentTQuantile: p must be a probability in [0, 1], got 1.5');
    expect(() => studentTQuantile(Number.NaN, 3)).to.throw(RangeError, 'got NaN');
    for (const df of [0, -2, Number.NaN, Infinity])
      expect(() => studentTQuantile(0.975, df)).to.throw(
        RangeError,
        `studentTQuantile: df must be a positive finite number of degrees of freedom, got ${df}`,
      );
  });
});

describe('statistics: Student t CDF and survival', () => {
  it('matches mpmath at 50 digits on both sides of 0', () => {
    for (const { t, df, p } of fixture.cdf) {
      expect(studentTCdf(t, df), `t ${t}, df ${df}`).to.be.closeTo(p, 1e-15 + 1e-12 * p);
      expect(studentTSurvival(-t, df), `t ${t}, df ${df}`).to.be.closeTo(p, 1e-15 + 1e-12 * p);
    }
  });

  it('keeps its digits in the far tail, and is exact to float64 near 0', () => {
    // Cauchy: P(T ≥ t) = ½ − atan(t)/π, which is ≈ 1/(πt) far out: 1 − CDF would round it away.
    expect(studentTSurvival(1e9, 1)).to.be.closeTo(1 / (Math.PI * 1e9), 1e-22);
    // Near 0 the density is Γ((ν+1)/2)/(√(νπ) Γ(ν/2)) = 1/(2√2) at ν = 2: CDF ≈ ½ + t/(2√2), to the last bit of ½.
    expect(studentTCdf(1e-9, 2)).to.be.closeTo(0.5 + 1e-9 / (2 * Math.SQRT2), Number.EPSILON);
    expect(studentTCdf(0, 7)).to.equal(0.5);
  });

  it('names a NaN t and a bad df', () => {
    expect(() => studentTCdf(Number.NaN, 2)).to.throw(RangeError, 'studentTCdf: t must be a number, got NaN');
    expect(() => studentTSurvival(1, -1)).to.throw(RangeError, 'studentTSurvival: df must be a positive finite number');
  });
});
