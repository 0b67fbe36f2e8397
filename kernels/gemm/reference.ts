/**
 * The reference gemm: C = op(A)·op(B) (or C += …) by the definition, each element one float64 sum
 * in k order, rounded once into C's type. Slow and plain on purpose: it is the oracle the js and
 * wasm gemms are checked against (test/gemm.spec.ts), as the other families' reference kernels are.
 */
import { type GemmProblem, resolveGemmProblem } from './problem';

export function referenceGemm(problem: GemmProblem): void {
  const { m, n, k, a, b, c, aOffset, bOffset, cOffset, transA, transB, accumulate } = resolveGemmProblem(problem);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) {
        sum += a[aOffset + (transA ? p * m + i : i * k + p)] * b[bOffset + (transB ? j * k + p : p * n + j)];
      }
      const at = cOffset + i * n + j;
      c[at] = accumulate ? c[at] + sum : sum;
    }
  }
}
