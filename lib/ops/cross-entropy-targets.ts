/**
 * crossEntropy's targets as one weighted target q over the classes of each item, whatever their
 * kind: probabilities or class indices, with label smoothing ε and class weights w.
 */
import type { TypedArray } from '../../base/dtype';
import { type Lanes, forEachLane } from './softmax';

export interface TargetSpec {
  lanes: Lanes;
  smoothing: number;
  classWeight: (c: number) => number;
}

/**
 * Probability targets: q = w_c · ((1 − ε)·t + ε/C). Returns the 'mean' divisor, the item count
 * (PyTorch does not normalize by the weights here).
 */
export function probabilityTargets(t: TypedArray, { lanes, smoothing, classWeight }: TargetSpec, q: Float64Array): number {
  const uniform = smoothing / lanes.size;
  forEachLane(lanes, (_, first, stride, end) => {
    for (let i = first, c = 0; i < end; i += stride, c++) q[i] = classWeight(c) * ((1 - smoothing) * t[i] + uniform);
  });
  return lanes.outer * lanes.inner;
}

/**
 * Class-index targets: q = (1 − ε)·w_y·onehot(y) + (ε/C)·w, and q = 0 for ignored items, which are
 * marked in `ignored`. Returns the 'mean' divisor, Σ w_y over the items kept (their count when
 * unweighted), as PyTorch.
 */
export function indexTargets(
  t: TypedArray,
  { lanes, smoothing, classWeight }: TargetSpec,
  ignoreIndex: number,
  q: Float64Array,
  ignored: Uint8Array,
): number {
  const classes = lanes.size;
  let divisor = 0;
  forEachLane(lanes, (item, first, stride, end) => {
    const y = t[item];
    if (y === ignoreIndex) {
      ignored[item] = 1;
      return;
    }
    if (!Number.isInteger(y)) throw new RangeError(`crossEntropy: target ${y} at index ${item} is not an integer class index`);
    if (y < 0 || y >= classes) {
      throw new RangeError(
        `crossEntropy: target ${y} at index ${item} is out of range for ${classes} classes (expected 0..${classes - 1})`,
      );
    }
    for (let i = first, c = 0; i < end; i += stride, c++) q[i] = (smoothing / classes) * classWeight(c);
    q[first + y * stride] += (1 - smoothing) * classWeight(y);
    divisor += classWeight(y);
  });
  return divisor;
}
