/**
 * conv2d on wasm memory, float32: per (image, group) im2col + the SIMD sgemm, as kernels/conv2d/js.ts
 * (read that file for the matrix shapes). The work is split across threads by (image, group)
 * items; the weight gradient, a sum over images, is computed per image into `partials` and then
 * summed in image order by reduceImages, so its value does not depend on the thread count.
 *
 * Each kernel's argument block is declared in kernels/wasm/argument-blocks.ts (read here through
 * the constants generated from it into slots.ts): the geometry and workspace first, shared by the
 * three passes, then the pass's own operands.
 */
import { shareStart } from './share';
import { GEMM_WORKSPACE_BYTES, gemmColumns } from './sgemm';
import { arg, f32At, ptr } from './memory';
import { takeIfGreater } from './pool2d';
import {
  CONV2D_BACKWARD_INPUT_DX, CONV2D_BACKWARD_INPUT_DY, CONV2D_BACKWARD_INPUT_WEIGHT,
  CONV2D_DILATION_H, CONV2D_DILATION_W, CONV2D_FORWARD_BIAS, CONV2D_FORWARD_MAX_POOL2X2, CONV2D_FORWARD_OUT, CONV2D_FORWARD_RELU, CONV2D_FORWARD_WEIGHT, CONV2D_FORWARD_X,
  CONV2D_GROUPS, CONV2D_H, CONV2D_IN_C, CONV2D_K_H, CONV2D_K_W, CONV2D_N, CONV2D_OUT_C, CONV2D_OUT_H, CONV2D_OUT_W,
  CONV2D_PAD_LEFT, CONV2D_PAD_TOP, CONV2D_STRIDE_H, CONV2D_STRIDE_W, CONV2D_W,
  CONV2D_WEIGHT_PARTIALS_DY, CONV2D_WEIGHT_PARTIALS_PARTIALS, CONV2D_WEIGHT_PARTIALS_X,
  CONV2D_WORKSPACE, CONV2D_WORKSPACE_STRIDE,
  REDUCE_IMAGES_COUNT, REDUCE_IMAGES_IMAGES, REDUCE_IMAGES_OUT, REDUCE_IMAGES_PARTIALS,
} from './slots';

/** Output indices t in [lo, hi) for which t·stride + offset lies inside [0, size), clamped to count. */
function insideLo(offset: i32, stride: i32, count: i32): i32 {
  return min(count, offset >= 0 ? 0 : (-offset + stride - 1) / stride);
}
function insideHi(offset: i32, stride: i32, size: i32, count: i32, lo: i32): i32 {
  const hi = offset > size - 1 ? 0 : (size - 1 - offset) / stride + 1;
  return max(lo, min(hi, count));
}

const GATHER = true, SCATTER = false;

/**
 * `count` floats from src to dst, four at a time. Rows of a column matrix are short (28 floats for
 * MNIST's first conv, 14 for its second) and there are thousands per image: memory.copy and
 * memory.fill are calls out of the module in V8, which cost more than such a row's copy.
 */
@inline function copyFloats(dst: usize, src: usize, count: i32): void {
  let j = 0;
  for (; j + 4 <= count; j += 4) v128.store(f32At(dst, j), v128.load(f32At(src, j)));
  for (; j < count; j++) store<f32>(f32At(dst, j), load<f32>(f32At(src, j)));
}
@inline function zeroFloats(dst: usize, count: i32): void {
  let j = 0;
  for (; j + 4 <= count; j += 4) v128.store(f32At(dst, j), f32x4.splat(0));
  for (; j < count; j++) store<f32>(f32At(dst, j), 0);
}

/** Copies a row of image pixels into a column-matrix row (zeros where the taps fall in the padding). */
@inline function gatherRow(src: usize, row: usize, sW: i32, jLo: i32, jHi: i32, outW: i32): void {
  zeroFloats(row, jLo);
  if (sW == 1) copyFloats(f32At(row, jLo), f32At(src, jLo), jHi - jLo);
  else for (let j = jLo; j < jHi; j++) store<f32>(f32At(row, j), load<f32>(f32At(src, j * sW)));
  zeroFloats(f32At(row, jHi), outW - jHi);
}

/** Adds a column-matrix row back onto the image pixels it was read from (the adjoint of gatherRow). */
@inline function scatterRow(dst: usize, row: usize, sW: i32, jLo: i32, jHi: i32): void {
  let j = jLo;
  if (sW == 1) {
    for (; j + 4 <= jHi; j += 4) v128.store(f32At(dst, j), f32x4.add(v128.load(f32At(dst, j)), v128.load(f32At(row, j))));
  }
  for (; j < jHi; j++) {
    const to = f32At(dst, j * sW);
    store<f32>(to, load<f32>(to) + load<f32>(f32At(row, j)));
  }
}

/**
 * im2col (GATHER) and its adjoint col2im (SCATTER), one loop nest for both:
 *   col[(c·kH + p)·kW + q, i·outW + j] = x[c, i·sH + p·dH − padTop, j·sW + q·dW − padLeft]  (0 in the padding)
 * gathers x into col, or adds every entry of col back onto the pixel of x it came from. Each row of
 * the output is split into its padding and the part that reads the image, so no tap is bounds-tested.
 */
function im2colPass(args: usize, x: usize, col: usize, gather: bool): void {
  const h = arg(args, CONV2D_H), w = arg(args, CONV2D_W), kH = arg(args, CONV2D_K_H), kW = arg(args, CONV2D_K_W);
  const sH = arg(args, CONV2D_STRIDE_H), sW = arg(args, CONV2D_STRIDE_W), outH = arg(args, CONV2D_OUT_H), outW = arg(args, CONV2D_OUT_W);
  const cg = arg(args, CONV2D_IN_C) / arg(args, CONV2D_GROUPS);
  const rowBytes = (<usize>outW) << 2;
  let row = col;
  for (let c = 0; c < cg; c++) {
    const plane = f32At(x, c * h * w);
    for (let p = 0; p < kH; p++) {
      const rowShift = p * arg(args, CONV2D_DILATION_H) - arg(args, CONV2D_PAD_TOP);
      const iLo = insideLo(rowShift, sH, outH), iHi = insideHi(rowShift, sH, h, outH, iLo);
      for (let q = 0; q < kW; q++) {
        const colShift = q * arg(args, CONV2D_DILATION_W) - arg(args, CONV2D_PAD_LEFT);
        const jLo = insideLo(colShift, sW, outW), jHi = insideHi(colShift, sW, w, outW, jLo);
        for (let i = 0; i < outH; i++, row += rowBytes) {
          const inside = i >= iLo && i < iHi;
          if (!inside) {
            if (gather) zeroFloats(row, outW);
            continue;
          }
          const pixels = f32At(plane, (i * sH + rowShift) * w + colShift);
          if (gather) gatherRow(pixels, row, sW, jLo, jHi, outW);
          else scatterRow(pixels, row, sW, jLo, jHi);
        }
      }
    }
  }
}

/** Sizes shared by the three passes. */
@inline function patch(args: usize): i32 {
  return (arg(args, CONV2D_IN_C) / arg(args, CONV2D_GROUPS)) * arg(args, CONV2D_K_H) * arg(args, CONV2D_K_W);
}

const FORWARD = 0, INPUT_GRADIENT = 1, WEIGHT_PARTIALS = 2;

/**
 * One pass over this share's (image, group) items, in the slice of each operand that item owns:
 *   FORWARD          y = bias + W_g · im2col(x)                  inputSide x, outputSide y, weights the weight, bias (0 = none)
 *                    then the epilogue of the inference path (kernels/conv2d/epilogue.ts) on the slice while it
 *                    is in cache: max(y, 0) if relu; if maxPool2x2, y is made in the thread's workspace after
 *                    the column matrix and its 2×2 max pool is what lands in outputSide
 *   INPUT_GRADIENT   dx = col2im(W_gᵀ · dY)                      inputSide dx, outputSide dy, weights the weight
 *   WEIGHT_PARTIALS  partials[image] = dY · im2col(x)ᵀ           inputSide x, outputSide dy, weights the partials (a weight per image)
 * so `inputSide` is always shaped [N, inC, H, W] and `outputSide` [N, outC, outH, outW].
 * Each kernel below reads its operands from its own named slots and hands them over by role.
 */
function convPass(args: usize, share: i32, shares: i32, thread: i32, pass: i32, inputSide: usize, outputSide: usize, weights: usize, bias: usize, relu: bool, pool: bool): void {
  const groups = arg(args, CONV2D_GROUPS), items = arg(args, CONV2D_N) * groups;
  const cg = arg(args, CONV2D_IN_C) / groups, og = arg(args, CONV2D_OUT_C) / groups;
  const hw = arg(args, CONV2D_H) * arg(args, CONV2D_W), pixels = arg(args, CONV2D_OUT_H) * arg(args, CONV2D_OUT_W), k = patch(args);
  const workspace = ptr(args, CONV2D_WORKSPACE) + <usize>thread * ptr(args, CONV2D_WORKSPACE_STRIDE);
  const col = workspace + GEMM_WORKSPACE_BYTES;
  const end = shareStart(items, 1, share + 1, shares);
  for (let item = shareStart(items, 1, share, shares); item < end; item++) {
    // item = image·groups + g: its slices of x/dx, of y/dy, and of the weight.
    const inputSlice = item * cg * hw, outputSlice = item * og * pixels, weightSlice = (item % groups) * og * k;
    if (pass == FORWARD) {
      const y = pool ? f32At(col, k * pixels) : f32At(outputSide, outputSlice);
      if (bias) fillRows(y, og, pixels, f32At(bias, (item % groups) * og));
      im2colPass(args, f32At(inputSide, inputSlice), col, GATHER);
      gemmColumns(og, k, f32At(weights, weightSlice), k, false, col, pixels, false, y, pixels, bias != 0, 0, pixels, workspace);
      if (relu) reluInPlace(y, og * pixels);
      if (pool) {
        const outH = arg(args, CONV2D_OUT_H), outW = arg(args, CONV2D_OUT_W);
        maxPool2x2(y, og, outH, outW, f32At(outputSide, item * og * (outH >> 1) * (outW >> 1)));
      }
    } else if (pass == INPUT_GRADIENT) {
      const dx = f32At(inputSide, inputSlice);
      gemmColumns(k, og, f32At(weights, weightSlice), k, true, f32At(outputSide, outputSlice), pixels, false, col, pixels, false, 0, pixels, workspace);
      memory.fill(dx, 0, (<usize>(cg * hw)) << 2);
      im2colPass(args, dx, col, SCATTER);
    } else {
      im2colPass(args, f32At(inputSide, inputSlice), col, GATHER);
      const dW = f32At(weights, item * og * k);
      gemmColumns(og, pixels, f32At(outputSide, outputSlice), pixels, false, col, pixels, true, dW, k, false, 0, k, workspace);
    }
  }
}

/** Row o of the rows × length block at `rows` = values[o] (the bias each output plane starts from). */
function fillRows(rows: usize, count: i32, length: i32, values: usize): void {
  for (let o = 0; o < count; o++) {
    const value = load<f32>(f32At(values, o));
    const row = f32At(rows, o * length);
    let j = 0;
    for (; j + 4 <= length; j += 4) v128.store(f32At(row, j), f32x4.splat(value));
    for (; j < length; j++) store<f32>(f32At(row, j), value);
  }
}

/** values[i] = max(values[i], 0) for i < count: f32.max, so −0 becomes 0 and a NaN stays NaN, as the js loop. */
function reluInPlace(values: usize, count: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= count; i += 4) v128.store(f32At(values, i), f32x4.max(v128.load(f32At(values, i)), zero));
  for (; i < count; i++) store<f32>(f32At(values, i), max<f32>(load<f32>(f32At(values, i)), 0));
}

/** The best of a 2×2 window so far after tap v, by max pooling's rule (pool2d.ts): v when greater, or NaN. */
@inline function later4(best: v128, v: v128): v128 {
  return v128.bitselect(v, best, takeIfGreater(best, v));
}
@inline function later(best: f32, v: f32): f32 {
  return select(v, best, v > best || isNaN(v));
}

/**
 * The 2×2 stride-2 max pool (floor mode) of `planes` h×w planes at `y` into their ⌊h/2⌋×⌊w/2⌋
 * planes at `out`, taps in window order (0,0), (0,1), (1,0), (1,1): maxPool2dForward's values
 * without its argmax, four windows per step (a row's two input rows deinterleaved by shuffles).
 */
function maxPool2x2(y: usize, planes: i32, h: i32, w: i32, out: usize): void {
  const outH = h >> 1, outW = w >> 1;
  for (let p = 0; p < planes; p++) {
    for (let i = 0; i < outH; i++) {
      const row0 = f32At(y, (p * h + 2 * i) * w), row1 = f32At(row0, w), to = f32At(out, (p * outH + i) * outW);
      let j = 0;
      for (; j + 4 <= outW; j += 4) {
        const a0 = v128.load(f32At(row0, 2 * j)), a1 = v128.load(f32At(row0, 2 * j + 4));
        const b0 = v128.load(f32At(row1, 2 * j)), b1 = v128.load(f32At(row1, 2 * j + 4));
        let best = f32x4.shuffle(a0, a1, 0, 2, 4, 6);
        best = later4(best, f32x4.shuffle(a0, a1, 1, 3, 5, 7));
        best = later4(best, f32x4.shuffle(b0, b1, 0, 2, 4, 6));
        v128.store(f32At(to, j), later4(best, f32x4.shuffle(b0, b1, 1, 3, 5, 7)));
      }
      for (; j < outW; j++) {
        const best = later(later(load<f32>(f32At(row0, 2 * j)), load<f32>(f32At(row0, 2 * j + 1))), load<f32>(f32At(row1, 2 * j)));
        store<f32>(f32At(to, j), later(best, load<f32>(f32At(row1, 2 * j + 1))));
      }
    }
  }
}

export function conv2dForward(args: usize, share: i32, shares: i32, thread: i32): void {
  const x = ptr(args, CONV2D_FORWARD_X), y = ptr(args, CONV2D_FORWARD_OUT);
  const relu = arg(args, CONV2D_FORWARD_RELU) != 0, pool = arg(args, CONV2D_FORWARD_MAX_POOL2X2) != 0;
  convPass(args, share, shares, thread, FORWARD, x, y, ptr(args, CONV2D_FORWARD_WEIGHT), ptr(args, CONV2D_FORWARD_BIAS), relu, pool);
}

export function conv2dBackwardInput(args: usize, share: i32, shares: i32, thread: i32): void {
  const dx = ptr(args, CONV2D_BACKWARD_INPUT_DX), dy = ptr(args, CONV2D_BACKWARD_INPUT_DY);
  convPass(args, share, shares, thread, INPUT_GRADIENT, dx, dy, ptr(args, CONV2D_BACKWARD_INPUT_WEIGHT), 0, false, false);
}

export function conv2dWeightPartials(args: usize, share: i32, shares: i32, thread: i32): void {
  const x = ptr(args, CONV2D_WEIGHT_PARTIALS_X), dy = ptr(args, CONV2D_WEIGHT_PARTIALS_DY);
  convPass(args, share, shares, thread, WEIGHT_PARTIALS, x, dy, ptr(args, CONV2D_WEIGHT_PARTIALS_PARTIALS), 0, false, false);
}

/** out[i] = Σ_image partials[image][i], summed in image order whatever the thread split. */
export function reduceImages(args: usize, share: i32, shares: i32, _thread: i32): void {
  const count = arg(args, REDUCE_IMAGES_COUNT), images = arg(args, REDUCE_IMAGES_IMAGES);
  const partials = ptr(args, REDUCE_IMAGES_PARTIALS), out = ptr(args, REDUCE_IMAGES_OUT);
  const end = shareStart(count, 4, share + 1, shares);
  let i = shareStart(count, 4, share, shares);
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
