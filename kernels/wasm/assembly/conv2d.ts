/**
 * conv2d on wasm memory, float32: per (image, group) im2col + the SIMD sgemm, as kernels/conv2d/js.ts
 * (read that file for the matrix shapes). The work is split across threads by (image, group)
 * items; the weight gradient, a sum over images, is computed per image into `partials` and then
 * summed in image order by reduceImages, so its value does not depend on the thread count.
 *
 * Geometry arrives as the i32 block written by kernels/wasm/conv2d.ts (see Conv2dArgs there).
 */
import { GEMM_WORKSPACE_BYTES, gemmColumns, shareStart } from './gemm';

// Slots of the i32 argument block, in the order kernels/wasm/conv2d.ts writes them.
const N = 0, IN_C = 1, H = 2, W = 3, OUT_C = 4, KH = 5, KW = 6, STRIDE_H = 7, STRIDE_W = 8;
const PAD_TOP = 9, PAD_LEFT = 10, DILATION_H = 11, DILATION_W = 12, GROUPS = 13, OUT_H = 14, OUT_W = 15;
// Pointers: for forward x, weight, bias (0 = none), out; backwardInput dy, weight, dx; backwardWeight dy, x, partials.
const P0 = 16, P1 = 17, P2 = 18, P3 = 19, WORKSPACE = 20, WORKSPACE_STRIDE = 21;

@inline function arg(args: usize, slot: i32): i32 {
  return load<i32>(args + ((<usize>slot) << 2));
}
@inline function ptr(args: usize, slot: i32): usize {
  return <usize>load<u32>(args + ((<usize>slot) << 2));
}
@inline function f32At(base: usize, index: i32): usize {
  return base + ((<usize>index) << 2);
}

/** Output indices t in [lo, hi) for which t·stride + offset lies inside [0, size), clamped to count. */
function insideLo(offset: i32, stride: i32, count: i32): i32 {
  return min(count, offset >= 0 ? 0 : (-offset + stride - 1) / stride);
}
function insideHi(offset: i32, stride: i32, size: i32, count: i32, lo: i32): i32 {
  const hi = offset > size - 1 ? 0 : (size - 1 - offset) / stride + 1;
  return max(lo, min(hi, count));
}

/** col[(c·kH + p)·kW + q, i·outW + j] = x[c, i·sH + p·dH − padTop, j·sW + q·dW − padLeft], 0 in the padding. */
function im2col(args: usize, x: usize, col: usize): void {
  const h = arg(args, H), w = arg(args, W), kH = arg(args, KH), kW = arg(args, KW);
  const sH = arg(args, STRIDE_H), sW = arg(args, STRIDE_W), outH = arg(args, OUT_H), outW = arg(args, OUT_W);
  const cg = arg(args, IN_C) / arg(args, GROUPS);
  let dst = col;
  for (let c = 0; c < cg; c++) {
    const plane = f32At(x, c * h * w);
    for (let p = 0; p < kH; p++) {
      const rowShift = p * arg(args, DILATION_H) - arg(args, PAD_TOP);
      const iLo = insideLo(rowShift, sH, outH), iHi = insideHi(rowShift, sH, h, outH, iLo);
      for (let q = 0; q < kW; q++) {
        const colShift = q * arg(args, DILATION_W) - arg(args, PAD_LEFT);
        const jLo = insideLo(colShift, sW, outW), jHi = insideHi(colShift, sW, w, outW, jLo);
        for (let i = 0; i < outH; i++) {
          if (i < iLo || i >= iHi) {
            memory.fill(dst, 0, (<usize>outW) << 2);
            dst += (<usize>outW) << 2;
            continue;
          }
          const src = f32At(plane, (i * sH + rowShift) * w + colShift);
          memory.fill(dst, 0, (<usize>jLo) << 2);
          if (sW == 1) {
            memory.copy(f32At(dst, jLo), f32At(src, jLo), (<usize>(jHi - jLo)) << 2);
          } else {
            for (let j = jLo; j < jHi; j++) store<f32>(f32At(dst, j), load<f32>(f32At(src, j * sW)));
          }
          memory.fill(f32At(dst, jHi), 0, (<usize>(outW - jHi)) << 2);
          dst += (<usize>outW) << 2;
        }
      }
    }
  }
}

/** The adjoint of im2col: x[c, …] += every entry of col at the pixel it came from. */
function col2im(args: usize, col: usize, x: usize): void {
  const h = arg(args, H), w = arg(args, W), kH = arg(args, KH), kW = arg(args, KW);
  const sH = arg(args, STRIDE_H), sW = arg(args, STRIDE_W), outH = arg(args, OUT_H), outW = arg(args, OUT_W);
  const cg = arg(args, IN_C) / arg(args, GROUPS);
  let at = col;
  for (let c = 0; c < cg; c++) {
    const plane = f32At(x, c * h * w);
    for (let p = 0; p < kH; p++) {
      const rowShift = p * arg(args, DILATION_H) - arg(args, PAD_TOP);
      const iLo = insideLo(rowShift, sH, outH), iHi = insideHi(rowShift, sH, h, outH, iLo);
      for (let q = 0; q < kW; q++) {
        const colShift = q * arg(args, DILATION_W) - arg(args, PAD_LEFT);
        const jLo = insideLo(colShift, sW, outW), jHi = insideHi(colShift, sW, w, outW, jLo);
        for (let i = 0; i < outH; i++, at += (<usize>outW) << 2) {
          if (i < iLo || i >= iHi) continue;
          const dst = f32At(plane, (i * sH + rowShift) * w + colShift);
          let j = jLo;
          if (sW == 1) {
            for (; j + 4 <= jHi; j += 4) v128.store(f32At(dst, j), f32x4.add(v128.load(f32At(dst, j)), v128.load(f32At(at, j))));
          }
          for (; j < jHi; j++) {
            const to = f32At(dst, j * sW);
            store<f32>(to, load<f32>(to) + load<f32>(f32At(at, j)));
          }
        }
      }
    }
  }
}

/** Sizes shared by the three passes. */
@inline function patch(args: usize): i32 {
  return (arg(args, IN_C) / arg(args, GROUPS)) * arg(args, KH) * arg(args, KW);
}

export function conv2dForward(args: usize, thread: i32, threads: i32): void {
  const groups = arg(args, GROUPS), items = arg(args, N) * groups;
  const cg = arg(args, IN_C) / groups, og = arg(args, OUT_C) / groups;
  const hw = arg(args, H) * arg(args, W), pixels = arg(args, OUT_H) * arg(args, OUT_W), k = patch(args);
  const x = ptr(args, P0), weight = ptr(args, P1), bias = ptr(args, P2), out = ptr(args, P3);
  const workspace = ptr(args, WORKSPACE) + <usize>thread * ptr(args, WORKSPACE_STRIDE);
  const col = workspace + GEMM_WORKSPACE_BYTES;
  const end = shareStart(items, 1, thread + 1, threads);
  for (let item = shareStart(items, 1, thread, threads); item < end; item++) {
    const image = item / groups, g = item % groups;
    const y = f32At(out, (image * groups + g) * og * pixels);
    if (bias) {
      for (let o = 0; o < og; o++) {
        const value = f32x4.splat(load<f32>(f32At(bias, g * og + o)));
        const row = f32At(y, o * pixels);
        let j = 0;
        for (; j + 4 <= pixels; j += 4) v128.store(f32At(row, j), value);
        for (; j < pixels; j++) store<f32>(f32At(row, j), f32x4.extract_lane(value, 0));
      }
    }
    im2col(args, f32At(x, (image * groups + g) * cg * hw), col);
    gemmColumns(og, pixels, k, f32At(weight, g * og * k), k, false, col, pixels, false, y, pixels, bias != 0, 0, pixels, workspace);
  }
}

export function conv2dBackwardInput(args: usize, thread: i32, threads: i32): void {
  const groups = arg(args, GROUPS), items = arg(args, N) * groups;
  const cg = arg(args, IN_C) / groups, og = arg(args, OUT_C) / groups;
  const hw = arg(args, H) * arg(args, W), pixels = arg(args, OUT_H) * arg(args, OUT_W), k = patch(args);
  const dy = ptr(args, P0), weight = ptr(args, P1), dx = ptr(args, P2);
  const workspace = ptr(args, WORKSPACE) + <usize>thread * ptr(args, WORKSPACE_STRIDE);
  const col = workspace + GEMM_WORKSPACE_BYTES;
  const end = shareStart(items, 1, thread + 1, threads);
  for (let item = shareStart(items, 1, thread, threads); item < end; item++) {
    const image = item / groups, g = item % groups;
    const dxItem = f32At(dx, (image * groups + g) * cg * hw);
    gemmColumns(k, pixels, og, f32At(weight, g * og * k), k, true, f32At(dy, (image * groups + g) * og * pixels), pixels, false, col, pixels, false, 0, pixels, workspace);
    memory.fill(dxItem, 0, (<usize>(cg * hw)) << 2);
    col2im(args, col, dxItem);
  }
}

/** partials[image] = dY_image · col(x_image)ᵀ for this thread's images (the whole weight shape each). */
export function conv2dWeightPartials(args: usize, thread: i32, threads: i32): void {
  const groups = arg(args, GROUPS), items = arg(args, N) * groups;
  const cg = arg(args, IN_C) / groups, og = arg(args, OUT_C) / groups;
  const hw = arg(args, H) * arg(args, W), pixels = arg(args, OUT_H) * arg(args, OUT_W), k = patch(args);
  const dy = ptr(args, P0), x = ptr(args, P1), partials = ptr(args, P2);
  const workspace = ptr(args, WORKSPACE) + <usize>thread * ptr(args, WORKSPACE_STRIDE);
  const col = workspace + GEMM_WORKSPACE_BYTES;
  const end = shareStart(items, 1, thread + 1, threads);
  for (let item = shareStart(items, 1, thread, threads); item < end; item++) {
    const image = item / groups, g = item % groups;
    im2col(args, f32At(x, (image * groups + g) * cg * hw), col);
    const dW = f32At(partials, (image * groups + g) * og * k);
    gemmColumns(og, k, pixels, f32At(dy, (image * groups + g) * og * pixels), pixels, false, col, pixels, true, dW, k, false, 0, k, workspace);
  }
}

/**
 * out[i] = Σ_image partials[image][i], summed in image order whatever the thread split.
 * Slots: 0 count, 1 images, 2 partials, 3 out.
 */
export function reduceImages(args: usize, thread: i32, threads: i32): void {
  const count = arg(args, 0), images = arg(args, 1), partials = ptr(args, 2), out = ptr(args, 3);
  const end = shareStart(count, 4, thread + 1, threads);
  let i = shareStart(count, 4, thread, threads);
  for (; i + 4 <= end; i += 4) {
    let sum = f32x4.splat(0);
    for (let image = 0; image < images; image++) sum = f32x4.add(sum, v128.load(f32At(partials, image * count + i)));
    v128.store(f32At(out, i), sum);
  }
  for (; i < end; i++) {
    let sum: f32 = 0;
    for (let image = 0; image < images; image++) sum += load<f32>(f32At(partials, image * count + i));
    store<f32>(f32At(out, i), sum);
  }
}
