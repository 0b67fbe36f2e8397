/** The gemm entry point for linear/matmul: threads split C's columns in NR-wide strips. */
import { shareStart } from './share';
import { arg, ptr } from './memory';
import { GEMM_WORKSPACE_BYTES, NR, gemmColumns } from './sgemm';
import {
  GEMM_A, GEMM_ACCUMULATE, GEMM_B, GEMM_C, GEMM_K, GEMM_LDA, GEMM_LDB, GEMM_LDC, GEMM_M, GEMM_N,
  GEMM_TRANS_A, GEMM_TRANS_B, GEMM_WORKSPACE, GEMM_WORKSPACE_STRIDE,
} from './slots';

/** Per-thread workspace bytes that gemm needs (conv2d needs this plus its column matrix). */
export function gemmWorkspaceBytes(): i32 {
  return GEMM_WORKSPACE_BYTES;
}

export function gemm(args: usize, share: i32, shares: i32, thread: i32): void {
  const n = arg(args, GEMM_N);
  const j0 = shareStart(n, NR, share, shares), j1 = shareStart(n, NR, share + 1, shares);
  if (j0 >= j1) return;
  const workspace = ptr(args, GEMM_WORKSPACE) + <usize>thread * ptr(args, GEMM_WORKSPACE_STRIDE);
  gemmColumns(
    arg(args, GEMM_M), arg(args, GEMM_K),
    ptr(args, GEMM_A), arg(args, GEMM_LDA), arg(args, GEMM_TRANS_A) != 0,
    ptr(args, GEMM_B), arg(args, GEMM_LDB), arg(args, GEMM_TRANS_B) != 0,
    ptr(args, GEMM_C), arg(args, GEMM_LDC), arg(args, GEMM_ACCUMULATE) != 0,
    j0, j1, workspace,
  );
}
