/**
 * The relu kernel interface: relu's forward and its backward (lib/ops/activations.ts) over flat
 * arrays of one dtype, each writing every element of its output:
 *
 *   forward:   out[i] = max(x[i], 0)               (x for x > 0, +0 for x ≤ 0 and −∞, NaN for a NaN, as PyTorch)
 *   backward:  dx[i] = y[i] > 0 ? dy[i] : +0      (y the forward's output; as PyTorch's threshold_backward,
 *                                                  an infinite or NaN dy where y ≤ 0 or y is NaN gives 0)
 *
 * in float64 and rounded to the output's dtype, so that every backend's results are bitwise the same.
 */
import type { TypedArray } from '../../base/dtype';

export interface ReluKernels {
  forward(x: TypedArray, out: TypedArray): void;
  backward(dy: TypedArray, y: TypedArray, dx: TypedArray): void;
}
