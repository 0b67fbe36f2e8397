/** The one closeness assertion of the specs: |actual − expected| ≤ atol + rtol·|expected|, NaN only matching NaN. */
import { expect } from 'chai';
import type { NestedArray, Tensor } from '../../index';

export interface Tolerance {
  rtol: number;
  atol: number;
}

/** Elementwise closeness for flat arrays, naming the first offending index. */
export function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: Tolerance, what: string): void {
  expect(actual.length, `${what}: length`).to.equal(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (Number.isNaN(expected[i]) && Number.isNaN(actual[i])) continue;
    const bound = tolerance.atol + tolerance.rtol * Math.abs(expected[i]);
    if (!(Math.abs(actual[i] - expected[i]) <= bound)) {
      expect.fail(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]} (±${bound})`);
    }
  }
}

/**
 * max |actual − expected| relative to the largest |expected| (at least 1): one number for a kernel's
 * float32 accuracy whatever its output's scale. NaN anywhere in `actual` makes it NaN, which is below no tolerance.
 */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let err = 0;
  let scale = 1;
  for (let i = 0; i < expected.length; i++) {
    err = Math.max(err, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return err / scale;
}

const flatten = (v: NestedArray): number[] => (typeof v === 'number' ? [v] : v.flatMap(flatten));
const shapeOf = (v: NestedArray): number[] => (typeof v === 'number' ? [] : [v.length, ...(v.length ? shapeOf(v[0]) : [])]);

/** Same shape as the nested array `expected` and every entry within atol. */
export function expectTensorClose(actual: Tensor, expected: NestedArray, atol = 1e-12): void {
  expect(actual.shape, 'shape').to.deep.equal(shapeOf(expected));
  expectAllClose(flatten(actual.toArray()), flatten(expected), { rtol: 0, atol }, `values ${JSON.stringify(actual.toArray())}`);
}
