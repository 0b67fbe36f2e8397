/**
 * GemmProblem: C = op(A)·op(B) (or C += …), where op transposes when asked. Dense row-major
 * matrices inside flat typed arrays (Float32Array or Float64Array), addressed by an offset so
 * callers can multiply a slice (one group's weights, one image's activations) without copying.
 */
import type { TypedArray } from '../../base/dtype';

export interface GemmProblem {
  /** Rows of op(A) and C. */
  m: number;
  /** Columns of op(B) and C. */
  n: number;
  /** Columns of op(A) = rows of op(B). */
  k: number;
  /** A stored m×k, or k×m when transA (then op(A) = Aᵀ). */
  a: TypedArray;
  aOffset?: number;
  transA?: boolean;
  /** B stored k×n, or n×k when transB. */
  b: TypedArray;
  bOffset?: number;
  transB?: boolean;
  /** C stored m×n. */
  c: TypedArray;
  cOffset?: number;
  /** C += op(A)·op(B) instead of overwriting C. */
  accumulate?: boolean;
}

/** The problem with every default filled in, checked to fit its arrays. */
export type ResolvedGemmProblem = Required<GemmProblem>;

export function resolveGemmProblem(problem: GemmProblem): ResolvedGemmProblem {
  const resolved: ResolvedGemmProblem = {
    aOffset: 0,
    bOffset: 0,
    cOffset: 0,
    transA: false,
    transB: false,
    accumulate: false,
    ...problem,
  };
  const { m, n, k } = resolved;
  checkFits('A', resolved.a, resolved.aOffset, m * k);
  checkFits('B', resolved.b, resolved.bOffset, k * n);
  checkFits('C', resolved.c, resolved.cOffset, m * n);
  return resolved;
}

function checkFits(name: string, array: TypedArray, offset: number, size: number): void {
  if (offset < 0 || offset + size > array.length) {
    throw new RangeError(`gemm: ${name} needs ${size} values from offset ${offset}, but its array holds ${array.length}`);
  }
}
