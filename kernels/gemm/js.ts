/**
 * The js gemm (see problem.ts for what it computes), for tensors of either dtype.
 *
 * How it is fast in plain JS — the GotoBLAS/BLIS layout, scaled to what V8 does well:
 *  - cache blocking: B is copied ("packed") KC rows × NC columns at a time, A MC rows × KC at a
 *    time, so the panels the inner loops stream over stay in L2/L1 while they are reused;
 *  - packing also lays each panel out in MR-row / NR-column strips, in the exact order the
 *    micro-kernel reads them, so its loads are sequential whatever the transposes were — the
 *    transposes cost nothing past packing;
 *  - register tiling: the micro-kernel keeps an MR×NR tile of C in local variables (which V8
 *    keeps in registers) across the whole k loop, and touches C in memory once per panel;
 *  - packed panels are always Float64Array: the micro-kernel then sees a single element type
 *    (monomorphic, no float32→float64 conversion per load), and accumulation is in float64
 *    even for float32 tensors, which only makes results more accurate.
 */
import type { TypedArray } from '../../base/dtype';
import { Scratch } from '../scratch';
import { type GemmProblem, resolveGemmProblem } from './problem';

/** Micro-tile: 4×4 accumulators + 4 + 4 operands fit the 16 (SSE/AVX) float registers. */
const MR = 4;
const NR = 4;
/** KC·NR doubles of B (8 KB) stay in L1 while a strip of A streams past; MC·KC of A (256 KB) in L2. */
const KC = 256;
const MC = 128;
const NC = 2048;

const packedA = new Scratch();
const packedB = new Scratch();

/**
 * Products at most one KC block deep and this small, or of fewer rows than a micro-tile, are summed
 * directly: packing them cost more than their sums (a batch-1 linear layer of 10 outputs, 1×128 by
 * 128×10: 17 µs packed, a few direct). Each element is summed as the micro-kernel sums it — k in
 * order from zero in float64, then added to C once — so its bits are the packed path's.
 */
const largestDirect = 16384;

export function jsGemm(problem: GemmProblem): void {
  const { m, n, k, a, b, c, aOffset, bOffset, cOffset, transA, transB } = resolveGemmProblem(problem);
  if (!problem.accumulate) c.fill(0, cOffset, cOffset + m * n);
  if (m === 0 || n === 0 || k === 0) return;
  if (k <= KC && (m < MR || m * n * k <= largestDirect)) {
    // op(A)(i, p) and op(B)(p, j) by strides, whatever the transposes.
    const [aRow, aStep] = transA ? [1, m] : [k, 1];
    const [bColumn, bStep] = transB ? [k, 1] : [1, n];
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0, ai = aOffset + i * aRow, bi = bOffset + j * bColumn; p < k; p++, ai += aStep, bi += bStep) sum += a[ai] * b[bi];
        c[cOffset + i * n + j] += sum;
      }
    }
    return;
  }

  const pa = packedA.float64(MC * KC);
  const pb = packedB.float64(KC * NC);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packB(b, bOffset, transB, k, n, pc, kc, jc, nc, pb);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packA(a, aOffset, transA, m, k, ic, mc, pc, kc, pa);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = Math.min(NR, nc - jr);
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = Math.min(MR, mc - ir);
            microKernel(kc, pa, ir * kc, pb, jr * kc, c, cOffset + (ic + ir) * n + jc + jr, n, rows, cols);
          }
        }
      }
    }
  }
}

/**
 * Copies rows ic..ic+mc, columns pc..pc+kc of op(A) into MR-row strips: strip s holds, for each
 * k in turn, the MR values of rows s·MR…s·MR+MR−1 (zero past the last row, so the micro-kernel
 * never needs a ragged case inside its loop).
 */
function packA(
  a: TypedArray,
  offset: number,
  trans: boolean,
  m: number,
  k: number,
  ic: number,
  mc: number,
  pc: number,
  kc: number,
  out: Float64Array,
): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const strip = ir * kc;
    for (let r = 0; r < MR; r++) {
      const row = ic + ir + r;
      let dst = strip + r;
      if (ir + r >= mc) {
        for (let p = 0; p < kc; p++, dst += MR) out[dst] = 0;
      } else if (trans) {
        // op(A)[row, p] = A[p, row]: stored k×m.
        let src = offset + pc * m + row;
        for (let p = 0; p < kc; p++, dst += MR, src += m) out[dst] = a[src];
      } else {
        let src = offset + row * k + pc;
        for (let p = 0; p < kc; p++, dst += MR) out[dst] = a[src++];
      }
    }
  }
}

/** Copies rows pc..pc+kc, columns jc..jc+nc of op(B) into NR-column strips (zero-padded). */
function packB(
  b: TypedArray,
  offset: number,
  trans: boolean,
  k: number,
  n: number,
  pc: number,
  kc: number,
  jc: number,
  nc: number,
  out: Float64Array,
): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const strip = jr * kc;
    const cols = Math.min(NR, nc - jr);
    if (!trans && cols === NR) {
      // The common case (im2col columns): NR neighbours in each row of B.
      let src = offset + pc * n + jc + jr;
      let dst = strip;
      for (let p = 0; p < kc; p++, src += n, dst += NR) {
        out[dst] = b[src];
        out[dst + 1] = b[src + 1];
        out[dst + 2] = b[src + 2];
        out[dst + 3] = b[src + 3];
      }
      continue;
    }
    for (let j = 0; j < NR; j++) {
      const col = jc + jr + j;
      let dst = strip + j;
      if (j >= cols) {
        for (let p = 0; p < kc; p++, dst += NR) out[dst] = 0;
      } else if (trans) {
        // op(B)[p, col] = B[col, p]: stored n×k.
        let src = offset + col * k + pc;
        for (let p = 0; p < kc; p++, dst += NR) out[dst] = b[src++];
      } else {
        let src = offset + pc * n + col;
        for (let p = 0; p < kc; p++, dst += NR, src += n) out[dst] = b[src];
      }
    }
  }
}

/** C[tile] += (MR×kc strip of A)·(kc×NR strip of B), keeping the 16 partial sums in locals. */
// biome-ignore format: the 4×4 register tile reads as a grid, one row of C per line.
function microKernel(kc: number, pa: Float64Array, aAt: number, pb: Float64Array, bAt: number, c: TypedArray, cAt: number, ldc: number, rows: number, cols: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++, aAt += MR, bAt += NR) {
    const a0 = pa[aAt], a1 = pa[aAt + 1], a2 = pa[aAt + 2], a3 = pa[aAt + 3];
    const b0 = pb[bAt], b1 = pb[bAt + 1], b2 = pb[bAt + 2], b3 = pb[bAt + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  if (rows === MR && cols === NR) {
    c[cAt] += c00; c[cAt + 1] += c01; c[cAt + 2] += c02; c[cAt + 3] += c03;
    cAt += ldc;
    c[cAt] += c10; c[cAt + 1] += c11; c[cAt + 2] += c12; c[cAt + 3] += c13;
    cAt += ldc;
    c[cAt] += c20; c[cAt + 1] += c21; c[cAt + 2] += c22; c[cAt + 3] += c23;
    cAt += ldc;
    c[cAt] += c30; c[cAt + 1] += c31; c[cAt + 2] += c32; c[cAt + 3] += c33;
    return;
  }
  // A ragged tile at the right or bottom edge: only the rows/cols inside C are written back.
  const tile = edgeTile;
  tile[0] = c00; tile[1] = c01; tile[2] = c02; tile[3] = c03;
  tile[4] = c10; tile[5] = c11; tile[6] = c12; tile[7] = c13;
  tile[8] = c20; tile[9] = c21; tile[10] = c22; tile[11] = c23;
  tile[12] = c30; tile[13] = c31; tile[14] = c32; tile[15] = c33;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) c[cAt + i * ldc + j] += tile[i * NR + j];
  }
}

const edgeTile = new Float64Array(MR * NR);
