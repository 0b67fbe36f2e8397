/** Elementwise closeness for typed arrays, naming the first offending index. */
import { expect } from 'chai';

export function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: { rtol: number; atol: number }, what: string): void {
  expect(actual.length, `${what}: length`).to.equal(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const bound = tolerance.atol + tolerance.rtol * Math.abs(expected[i]);
    if (!(Math.abs(actual[i] - expected[i]) <= bound)) {
      expect.fail(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]} (±${bound})`);
    }
  }
}
