/** The gemm entry point for linear/matmul: threads split C's columns in NR-wide strips. */
import { shareStart } from './share';
import { GEMM_WORKSPACE_BYTES, NR, gemmColumns } from './sgemm';

/** Per-thread workspace bytes that gemm needs (conv2d needs this plus its column matrix). */
export function gemmWorkspaceBytes(): i32 {
  return GEMM_WORKSPACE_BYTES;
}

@inline function slot(args: usize, index: i32): i32 {
  return load<i32>(args + ((<usize>index) << 2));
}

// Slots: 0 m, 1 n, 2 k, 3 a, 4 lda, 5 transA, 6 b, 7 ldb, 8 transB, 9 c, 10 ldc, 11 accumulate, 12 workspace, 13 workspaceStride.
export function gemm(args: usize, thread: i32, threads: i32): void {
  const n = slot(args, 1);
  const j0 = shareStart(n, NR, thread, threads), j1 = shareStart(n, NR, thread + 1, threads);
  if (j0 >= j1) return;
  const workspace = <usize>slot(args, 12) + <usize>thread * <usize>slot(args, 13);
  gemmColumns(
    slot(args, 0), n, slot(args, 2),
    <usize>slot(args, 3), slot(args, 4), slot(args, 5) != 0,
    <usize>slot(args, 6), slot(args, 7), slot(args, 8) != 0,
    <usize>slot(args, 9), slot(args, 10), slot(args, 11) != 0,
    j0, j1, workspace,
  );
}
