/**
 * gemm on the wasm backend (float32): op(A), op(B) and C in wasm memory (copied in and C out unless
 * they live there), then the SIMD sgemm of kernels/wasm/assembly/sgemm.ts, its threads splitting C's columns.
 * float64 problems, and problems too small to repay the copies, take the js gemm.
 */
import { callFrame } from '../wasm/call-frame';
import { gemmUnits } from '../wasm/thread-cost';
import { runKernel, splitFor } from '../wasm/thread-pool';
import { wasmOrJs } from '../wasm/wasm-or-js';
import { jsGemm } from './js';
import { type GemmProblem, resolveGemmProblem } from './problem';

/** Below this many multiply-adds the copies in and out cost more than the SIMD kernel saves. */
const smallestWorthCopying = 4096;
/** The column strips shares take whole (NR in kernels/wasm/assembly/sgemm.ts). */
const stripWidth = 8;

/**
 * Whether every share packs all of op(A) again for its columns (kernels/wasm/assembly/sgemm.ts): all
 * but the one-row product that reads B where it lies. Such a gemm is cut into one share per thread:
 * with 16 columns a share, the packing was a third of the multiply-adds' time. Measured on the small
 * CNN's linear layers (ordinary operands, copies included), 2 threads, medians of 300 calls in three
 * runs interleaved: 64×128×1568 0.913–0.932 ms in 8 shares, 0.845–0.853 in 2; 64×1568×128
 * 0.826–0.834 and 0.804–0.812; 128×1568×64 (Aᵀ) 0.832–0.847 and 0.811–0.821 (one thread: 1.41–1.50 ms
 * each). The one-row product packs nothing and keeps its four shares a thread, as the other kernels
 * do: fine shares leave a late worker's part to the caller.
 */
const packsA = (m: number, transB: boolean): boolean => !(m === 1 && !transB);

export function wasmGemm(problem: GemmProblem): void {
  const { m, n, k } = problem;
  if (m * n * k < smallestWorthCopying) {
    jsGemm(problem); // it resolves and checks the problem itself
    return;
  }
  const p = resolveGemmProblem(problem);
  const { a, b, c } = p;
  wasmOrJs(
    [a, b, c],
    (wasm) => {
      const frame = callFrame(wasm);
      const split = splitFor(wasm, 'gemm', Math.ceil(n / stripWidth), gemmUnits(m, n, k), packsA(m, p.transB) ? 1 : undefined);
      const workspaceStride = wasm.exports.gemmWorkspaceBytes();
      const cAddress = p.accumulate ? frame.input(c, p.cOffset, m * n) : frame.outputAt(c, p.cOffset, m * n);
      const args = frame.args('gemm', {
        m,
        n,
        k,
        a: frame.input(a, p.aOffset, m * k),
        lda: p.transA ? m : k,
        transA: p.transA ? 1 : 0,
        b: frame.input(b, p.bOffset, k * n),
        ldb: p.transB ? k : n,
        transB: p.transB ? 1 : 0,
        c: cAddress,
        ldc: n,
        accumulate: p.accumulate ? 1 : 0,
        workspace: frame.reserve(workspaceStride * split.threads),
        workspaceStride,
      });
      runKernel(wasm, 'gemm', args, split);
      frame.output(cAddress, c, m * n, p.cOffset);
    },
    () => jsGemm(p),
  );
}
