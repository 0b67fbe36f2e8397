/**
 * The relu kernel interface: relu's forward and its backward (lib/ops/activations.ts) over flat
 * arrays of one dtype, each writing every element of its output:
 *
 *   forward:   out[i] = max(x[i], 0)               (x for x > 0, +0 for x ≤ 0 and −∞, NaN for a NaN, as PyTorch)
 *   backward:  dx[i] = dy[i] · (y[i] > 0 ? 1 : 0)  (y the forward's output; a NaN y gives 0 · dy)
 *
 * in float64 and rounded to the output's dtype, so that every backend's results are bitwise the same.
 */
import type { TypedArray } from '../../base/dtype';

export interface ReluKernels {
  forward(x: TypedArray, out: TypedArray): void;
  backward(dy: TypedArray, y: TypedArray, dx: TypedArray): void;
}
