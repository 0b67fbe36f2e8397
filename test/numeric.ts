/** Assertions and inputs shared by the op specs: tolerance comparisons and kink-free random data. */
import { expect } from 'chai';
import { NestedArray, Tensor, randn } from '../index';

const flatten = (v: NestedArray): number[] => (typeof v === 'number' ? [v] : v.flatMap(flatten));
const shapeOf = (v: NestedArray): number[] => (typeof v === 'number' ? [] : [v.length, ...(v.length ? shapeOf(v[0]) : [])]);

/** Same shape as `expected` and every entry within atol (NaN matches only NaN). */
export function expectTensorClose(actual: Tensor, expected: NestedArray, atol = 1e-12): void {
  const got = flatten(actual.toArray());
  const want = flatten(expected);
  expect(actual.shape, 'shape').to.deep.equal(shapeOf(expected));
  got.forEach((g, i) => {
    if (Number.isNaN(want[i])) expect(g, `entry ${i}`).to.be.NaN;
    else expect(g, `entry ${i} of ${JSON.stringify(got)}`).to.be.closeTo(want[i], atol);
  });
}

/**
 * Standard normal samples moved at least `margin` away from every kink, so central differences
 * with a tiny step never straddle one.
 */
export function kinkFreeRandn(shape: number[], kinks: readonly number[], margin = 0.05): Tensor {
  const t = randn(shape);
  const data = t.contiguousData();
  for (let i = 0; i < data.length; i++) {
    for (const k of kinks) {
      if (Math.abs(data[i] - k) < margin) data[i] = k + (data[i] < k ? -2 : 2) * margin;
    }
  }
  return t;
}
