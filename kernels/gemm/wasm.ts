/**
 * gemm on the wasm backend (float32): copies op(A), op(B) (and C when accumulating) into wasm memory
 * and runs the SIMD sgemm of kernels/wasm/assembly/sgemm.ts, its threads splitting C's columns.
 * float64 problems, and problems too small to repay the copies, take the js gemm.
 */
import { callFrame } from '../wasm/call-frame';
import { withWasm } from '../wasm/instance';
import { runKernel, threadsFor } from '../wasm/thread-pool';
import { jsGemm } from './js';
import { type GemmProblem, resolveGemmProblem } from './problem';

/** Below this many multiply-adds the copies in and out cost more than the SIMD kernel saves. */
const smallestWorthCopying = 4096;
/** Columns of C per thread below which another thread's start-up costs more than it saves. */
const columnsPerThread = 32;

export function wasmGemm(problem: GemmProblem): void {
  const { m, n, k, a, b, c } = problem;
  if (!(a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array) || m * n * k < smallestWorthCopying) {
    jsGemm(problem); // it resolves and checks the problem itself
    return;
  }
  const p = resolveGemmProblem(problem);
  withWasm(
    (wasm) => {
      const frame = callFrame(wasm);
      const threads = threadsFor(wasm, n / columnsPerThread);
      const workspace = wasm.exports.gemmWorkspaceBytes();
      const cAddress = p.accumulate ? frame.input(c.subarray(p.cOffset, p.cOffset + m * n)) : frame.reserve(m * n * 4);
      const args = frame.args([
        m,
        n,
        k,
        frame.input(a.subarray(p.aOffset, p.aOffset + m * k)),
        p.transA ? m : k,
        p.transA ? 1 : 0,
        frame.input(b.subarray(p.bOffset, p.bOffset + k * n)),
        p.transB ? k : n,
        p.transB ? 1 : 0,
        cAddress,
        n,
        p.accumulate ? 1 : 0,
        frame.reserve(workspace * threads),
        workspace,
      ]);
      runKernel(wasm, 'gemm', args, threads);
      frame.output(cAddress, c, m * n, p.cOffset);
    },
    () => jsGemm(p),
  );
}
