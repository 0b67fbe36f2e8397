/**
 * sgemm: C = op(A)·op(B) (or C += …) in float32 with 128-bit SIMD, the GotoBLAS/BLIS layout of
 * kernels/gemm/js.ts with a vector micro-kernel:
 *  - op(B) is packed KC rows × NC columns at a time into NR-column strips, op(A) MC × KC into
 *    MR-row strips, in the order the micro-kernel reads them (transposes cost nothing past packing);
 *  - the micro-kernel keeps a 4×8 tile of C in eight f32x4 registers over the whole k loop: per k
 *    it loads 8 values of B (two vectors), broadcasts 4 values of A, and does 8 multiply-adds.
 *    4×8 is XNNPACK's "splat" shape for wasm SIMD: 8 accumulators + 2 B + 1 A fit the 16 xmm
 *    registers V8 allocates on x64 (6×8 spills).
 *
 * Determinism: every element of C is the sum over k in KC blocks, each block summed in k order
 * from 0 and then added to C — whatever the thread split (threads take whole NR-column strips),
 * so one thread and two give bitwise the same C. The multiply-adds are multiplyAdd's, the only
 * code that differs between the plain and relaxed-SIMD builds (scripts/wasm-build-inputs.ts): mul
 * then add, each rounded as IEEE float32, in the plain ones; fused where the CPU has FMA in the
 * relaxed one — other floats, as deterministic and as independent of the thread split.
 */
export const MR = 4;
export const NR = 8;
const KC = 256;
const MC = 64;
const NC = 512;

/** Bytes of per-thread workspace gemm needs: the packed A and B panels and one edge tile. */
export const GEMM_WORKSPACE_BYTES: i32 = (MC * KC + KC * NC + MR * NR) * 4;

/** A row-major matrix inside wasm memory: op(M)[i][j] = trans ? M[j·ld + i] : M[i·ld + j]. */
@inline
function element(base: usize, ld: i32, trans: bool, i: i32, j: i32): f32 {
  return load<f32>(base + ((<usize>(trans ? j * ld + i : i * ld + j)) << 2));
}

/**
 * Writes the transpose of the 4×4 block at `src` (rows `srcStride` bytes apart) to `dst` (rows
 * `dstStride` bytes apart): the packing of a strip whose values lie across rows of the source.
 */
@inline
function transpose4x4(src: usize, srcStride: usize, dst: usize, dstStride: usize): void {
  const r0 = v128.load(src), r1 = v128.load(src + srcStride);
  const r2 = v128.load(src + 2 * srcStride), r3 = v128.load(src + 3 * srcStride);
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5), t1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5), t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
  v128.store(dst + dstStride, i32x4.shuffle(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * dstStride, i32x4.shuffle(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * dstStride, i32x4.shuffle(t1, t3, 2, 3, 6, 7));
}

/** Packs rows [i0, i0+mc) × columns [p0, p0+kc) of op(A) as MR-row strips, zero-padding the last strip. */
function packA(a: usize, lda: i32, transA: bool, i0: i32, mc: i32, p0: i32, kc: i32, dst: usize): void {
  const rowBytes = (<usize>lda) << 2;
  for (let s = 0; s < mc; s += MR) {
    const rows = min(MR, mc - s);
    let p = 0;
    if (rows == MR && transA) {
      // op(A)[i][p] = A[p][i]: each k's MR values are adjacent in A.
      let src = a + ((<usize>(p0 * lda + i0 + s)) << 2);
      for (; p < kc; p++, src += rowBytes, dst += MR * 4) v128.store(dst, v128.load(src));
    } else if (rows == MR) {
      // The strip's MR rows are rows of A: transpose them 4 k at a time.
      const src = a + ((<usize>((i0 + s) * lda + p0)) << 2);
      for (; p + 4 <= kc; p += 4, dst += 4 * MR * 4) transpose4x4(src + ((<usize>p) << 2), rowBytes, dst, MR * 4);
    }
    for (; p < kc; p++) {
      for (let r = 0; r < MR; r++) {
        store<f32>(dst, r < rows ? element(a, lda, transA, i0 + s + r, p0 + p) : 0);
        dst += 4;
      }
    }
  }
}

/** Packs rows [p0, p0+kc) × columns [j0, j0+nc) of op(B) as NR-column strips, zero-padding the last strip. */
function packB(b: usize, ldb: i32, transB: bool, p0: i32, kc: i32, j0: i32, nc: i32, dst: usize): void {
  const rowBytes = (<usize>ldb) << 2;
  for (let s = 0; s < nc; s += NR) {
    const cols = min(NR, nc - s);
    let p = 0;
    if (cols == NR && !transB) {
      // Each k's NR values are adjacent in B: two vector copies.
      let src = b + ((<usize>(p0 * ldb + j0 + s)) << 2);
      for (; p < kc; p++, src += rowBytes, dst += NR * 4) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
      }
    } else if (cols == NR) {
      // op(B)[p][j] = B[j][p]: the strip's NR columns are rows of B; transpose 4×4 blocks of them.
      const src = b + ((<usize>((j0 + s) * ldb + p0)) << 2);
      for (; p + 4 <= kc; p += 4, dst += 4 * NR * 4) {
        const at = src + ((<usize>p) << 2);
        transpose4x4(at, rowBytes, dst, NR * 4);
        transpose4x4(at + 4 * rowBytes, rowBytes, dst + 16, NR * 4);
      }
    }
    for (; p < kc; p++) {
      for (let c = 0; c < NR; c++) {
        store<f32>(dst, c < cols ? element(b, ldb, transB, p0 + p, j0 + s + c) : 0);
        dst += 4;
      }
    }
  }
}

/** Adds (or stores, when !accumulate) one accumulator row to C[row, 0..cols). */
@inline
function storeRow(c: usize, v0: v128, v1: v128, cols: i32, accumulate: bool, tile: usize): void {
  if (cols == NR) {
    if (accumulate) {
      v0 = f32x4.add(v128.load(c), v0);
      v1 = f32x4.add(v128.load(c, 16), v1);
    }
    v128.store(c, v0);
    v128.store(c, v1, 16);
    return;
  }
  v128.store(tile, v0);
  v128.store(tile, v1, 16);
  for (let j = 0; j < cols; j++) {
    const at = c + ((<usize>j) << 2);
    const value = load<f32>(tile + ((<usize>j) << 2));
    store<f32>(at, accumulate ? load<f32>(at) + value : value);
  }
}

/**
 * acc + a·b per lane. ASC_FEATURE_RELAXED_SIMD is a compile-time constant (asc --enable relaxed-simd),
 * so each build compiles one arm only. relaxed_madd is the engine's choice, fixed per machine: a
 * fused multiply-add (one rounding; V8 emits vfmadd where the CPU has FMA3) or mul then add.
 */
@inline
function multiplyAdd(acc: v128, a: v128, b: v128): v128 {
  return ASC_FEATURE_RELAXED_SIMD ? f32x4.relaxed_madd(a, b, acc) : f32x4.add(acc, f32x4.mul(a, b));
}

/** C[0..rows, 0..cols) (+)= packed A strip · packed B strip over kc. */
function microKernel(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, rows: i32, cols: i32, accumulate: bool, tile: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = multiplyAdd(c00, a, b0);
    c01 = multiplyAdd(c01, a, b1);
    a = v128.load32_splat(pa, 4);
    c10 = multiplyAdd(c10, a, b0);
    c11 = multiplyAdd(c11, a, b1);
    a = v128.load32_splat(pa, 8);
    c20 = multiplyAdd(c20, a, b0);
    c21 = multiplyAdd(c21, a, b1);
    a = v128.load32_splat(pa, 12);
    c30 = multiplyAdd(c30, a, b0);
    c31 = multiplyAdd(c31, a, b1);
    pa += MR * 4;
    pb += NR * 4;
  }
  const rowBytes = (<usize>ldc) << 2;
  storeRow(c, c00, c01, cols, accumulate, tile);
  if (rows > 1) storeRow(c + rowBytes, c10, c11, cols, accumulate, tile);
  if (rows > 2) storeRow(c + 2 * rowBytes, c20, c21, cols, accumulate, tile);
  if (rows > 3) storeRow(c + 3 * rowBytes, c30, c31, cols, accumulate, tile);
}

/** Lanes [0, lanes) of four floats at `at`, the others 0: an edge of a row read without reading past it. */
@inline function loadLanes(at: usize, lanes: i32): v128 {
  if (lanes == 4) return v128.load(at);
  let v = f32x4.replace_lane(f32x4.splat(0), 0, load<f32>(at));
  if (lanes > 1) v = f32x4.replace_lane(v, 1, load<f32>(at, 4));
  if (lanes > 2) v = f32x4.replace_lane(v, 2, load<f32>(at, 8));
  return v;
}

/** Stores (or, when `add`, adds onto C as storeRow does) lanes [0, lanes) of v at `at`. */
@inline function storeLanes(at: usize, v: v128, lanes: i32, add: bool): void {
  if (lanes == 4) {
    v128.store(at, add ? f32x4.add(v128.load(at), v) : v);
    return;
  }
  storeLane(at, f32x4.extract_lane(v, 0), add);
  if (lanes > 1) storeLane(at + 4, f32x4.extract_lane(v, 1), add);
  if (lanes > 2) storeLane(at + 8, f32x4.extract_lane(v, 2), add);
}
@inline function storeLane(at: usize, value: f32, add: bool): void {
  store<f32>(at, add ? load<f32>(at) + value : value);
}

/**
 * C[0, j0..j1) (+)= a·B for a one-row op(A) and an untransposed B, read where they lie: the packed
 * path packs all of B's columns whatever m is, which was most of a batch-1 linear layer's time.
 * Each element is summed as the micro-kernel sums it — in KC blocks, k in order within a block from
 * 0, each block then stored or added onto C — with the same multiplyAdd, so its bits are the packed
 * path's. `aStep` is the bytes from one of a's values to the next.
 */
function rowTimesMatrix(k: i32, a: usize, aStep: usize, b: usize, ldb: i32, c: usize, accumulate: bool, j0: i32, j1: i32): void {
  const rowBytes = (<usize>ldb) << 2;
  for (let pc = 0; pc < k; pc += KC) {
    const kc = min(KC, k - pc);
    const add = accumulate || pc > 0;
    const aBlock = a + (<usize>pc) * aStep;
    const bBlock = b + (<usize>pc) * rowBytes;
    let j = j0;
    // 16 columns at a time: four independent sums per k keep the adds' latency hidden.
    for (; j + 16 <= j1; j += 16) {
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
      let pa = aBlock, pb = bBlock + ((<usize>j) << 2);
      for (let p = 0; p < kc; p++, pa += aStep, pb += rowBytes) {
        const x = v128.load32_splat(pa);
        s0 = multiplyAdd(s0, x, v128.load(pb));
        s1 = multiplyAdd(s1, x, v128.load(pb, 16));
        s2 = multiplyAdd(s2, x, v128.load(pb, 32));
        s3 = multiplyAdd(s3, x, v128.load(pb, 48));
      }
      const at = c + ((<usize>j) << 2);
      storeLanes(at, s0, 4, add);
      storeLanes(at + 16, s1, 4, add);
      storeLanes(at + 32, s2, 4, add);
      storeLanes(at + 48, s3, 4, add);
    }
    for (; j < j1; j += 4) {
      const lanes = min(4, j1 - j);
      let s = f32x4.splat(0);
      let pa = aBlock, pb = bBlock + ((<usize>j) << 2);
      for (let p = 0; p < kc; p++, pa += aStep, pb += rowBytes) s = multiplyAdd(s, v128.load32_splat(pa), loadLanes(pb, lanes));
      storeLanes(c + ((<usize>j) << 2), s, lanes, add);
    }
  }
}

/**
 * The columns [j0, j1) of C (+)= op(A)·op(B) for an m×k by k×n product (n itself is not needed:
 * only the columns asked for are touched); `workspace` holds
 * GEMM_WORKSPACE_BYTES. Threads call it with disjoint NR-aligned column ranges (see shareStart in share.ts).
 */
export function gemmColumns(
  m: i32, k: i32,
  a: usize, lda: i32, transA: bool,
  b: usize, ldb: i32, transB: bool,
  c: usize, ldc: i32, accumulate: bool,
  j0: i32, j1: i32, workspace: usize,
): void {
  const packedA = workspace;
  const packedB = packedA + MC * KC * 4;
  const tile = packedB + KC * NC * 4;
  if (k == 0) {
    if (!accumulate) for (let i = 0; i < m; i++) memory.fill(c + ((<usize>(i * ldc + j0)) << 2), 0, (<usize>(j1 - j0)) << 2);
    return;
  }
  if (m == 1 && !transB) {
    rowTimesMatrix(k, a, transA ? (<usize>lda) << 2 : 4, b, ldb, c, accumulate, j0, j1);
    return;
  }
  for (let jc = j0; jc < j1; jc += NC) {
    const nc = min(NC, j1 - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const add = accumulate || pc > 0;
      packB(b, ldb, transB, pc, kc, jc, nc, packedB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(a, lda, transA, ic, mc, pc, kc, packedA);
        for (let jr = 0; jr < nc; jr += NR) {
          const pb = packedB + (<usize>(jr * kc)) * 4;
          for (let ir = 0; ir < mc; ir += MR) {
            const pa = packedA + (<usize>(ir * kc)) * 4;
            const cAt = c + ((<usize>((ic + ir) * ldc + jc + jr)) << 2);
            microKernel(kc, pa, pb, cAt, ldc, min(MR, mc - ir), min(NR, nc - jr), add, tile);
          }
        }
      }
    }
  }
}
