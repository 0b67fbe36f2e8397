/** Statistics helpers for the tests that check a technique's drop rate, mean and variance. */
import { expect } from 'chai';

export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s / values.length;
}

export function variance(values: ArrayLike<number>): number {
  const m = mean(values);
  let s = 0;
  for (let i = 0; i < values.length; i++) s += (values[i] - m) ** 2;
  return s / values.length;
}

/** The fraction of entries equal to zero. */
export function zeroFraction(values: ArrayLike<number>): number {
  let zeros = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === 0) zeros++;
  return zeros / values.length;
}

/**
 * Asserts an empirical mean of n independent draws lies within 4 standard errors of the
 * expectation (a false alarm about once in 16,000 runs; seeds are fixed, so in practice never).
 */
export function expectWithinStandardErrors(observed: number, expected: number, sd: number, n: number, what: string): void {
  const se = sd / Math.sqrt(n);
  expect(Math.abs(observed - expected), `${what}: ${observed} vs ${expected} (standard error ${se})`).to.be.at.most(4 * se);
}

/** A drop rate measured over n Bernoulli(p) trials must be within 4 standard errors of p. */
export function expectRate(observed: number, p: number, n: number, what: string): void {
  expectWithinStandardErrors(observed, p, Math.sqrt(p * (1 - p)), n, what);
}
