/**
 * pool2d on wasm memory, float32, with the semantics of kernels/pool2d/js.ts (read it and
 * kernels/pool2d/kernels.ts for the rules): a max window keeps its first maximum, a NaN wins and a
 * later NaN takes over, padding is −∞, a window with no tap inside the input gives −∞ and argmax −1;
 * average sums are float64 and divided by rows.divisor[oh] · cols.divisor[ow], as the js kernels do,
 * so the values are bitwise theirs. Threads split the planes (N·C): every output, and every
 * gradient sum, is computed by one thread in one order whatever the thread count.
 *
 * The argument blocks are declared in kernels/wasm/argument-blocks.ts (read here through the
 * constants generated from it into slots.ts).
 */
import { shareStart } from './share';
import { arg, f32At, f64At, ptr } from './memory';
import {
  AVG_POOL2D_BACKWARD_DX, AVG_POOL2D_BACKWARD_DY, AVG_POOL2D_COL_DIVISOR, AVG_POOL2D_COL_END, AVG_POOL2D_COL_START,
  AVG_POOL2D_FORWARD_OUT, AVG_POOL2D_FORWARD_X, AVG_POOL2D_IN_H, AVG_POOL2D_IN_W, AVG_POOL2D_OUT_H, AVG_POOL2D_OUT_W,
  AVG_POOL2D_PLANES, AVG_POOL2D_ROW_DIVISOR, AVG_POOL2D_ROW_END, AVG_POOL2D_ROW_START,
  MAX_POOL2D_BACKWARD_ARGMAX, MAX_POOL2D_BACKWARD_DX, MAX_POOL2D_BACKWARD_DY,
  MAX_POOL2D_D_H, MAX_POOL2D_D_W, MAX_POOL2D_FORWARD_ARGMAX, MAX_POOL2D_FORWARD_OUT, MAX_POOL2D_FORWARD_X,
  MAX_POOL2D_IN_H, MAX_POOL2D_IN_W, MAX_POOL2D_K_H, MAX_POOL2D_K_W, MAX_POOL2D_OUT_H, MAX_POOL2D_OUT_W,
  MAX_POOL2D_PLANES, MAX_POOL2D_P_H, MAX_POOL2D_P_W, MAX_POOL2D_S_H, MAX_POOL2D_S_W,
} from './slots';

/** The first tap k < kernel whose position origin + k·dilation is ≥ 0 (a loop: cheaper than a division for small kernels). */
@inline function firstTap(origin: i32, dilation: i32, kernel: i32): i32 {
  let k = 0;
  while (k < kernel && origin + k * dilation < 0) k++;
  return k;
}
/** One past the last tap k < kernel whose position origin + k·dilation is < size (never below `first`). */
@inline function lastTap(origin: i32, dilation: i32, size: i32, kernel: i32, first: i32): i32 {
  let k = kernel;
  while (k > first && origin + (k - 1) * dilation >= size) k--;
  return k;
}

/** The lanes where tap value v replaces the best so far, by maxRow's rule: greater, or NaN. */
@inline export function takeIfGreater(best: v128, v: v128): v128 {
  return v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
}

/** x[index] for the four lane indices. */
@inline function gather(x: usize, index: v128): v128 {
  let v = f32x4.splat(load<f32>(f32At(x, i32x4.extract_lane(index, 0))));
  v = f32x4.replace_lane(v, 1, load<f32>(f32At(x, i32x4.extract_lane(index, 1))));
  v = f32x4.replace_lane(v, 2, load<f32>(f32At(x, i32x4.extract_lane(index, 2))));
  return f32x4.replace_lane(v, 3, load<f32>(f32At(x, i32x4.extract_lane(index, 3))));
}

/**
 * Four max windows of one output row at once, any stride and dilation, for windows whose columns
 * all lie inside the input and which have rows [khFirst, khLast) (not empty) inside: lane j is
 * output column ow + j, its taps gathered and compared in window order as maxRow does (four
 * independent compare chains instead of one).
 */
@inline function fourWindowsAnyStride(
  x: usize, inW: i32, kW: i32, sW: i32, dH: i32, dW: i32,
  ihOrigin: i32, khFirst: i32, khLast: i32, iwOrigin: i32, out: usize, argmax: usize,
): void {
  const lanes = i32x4.mul(i32x4(0, 1, 2, 3), i32x4.splat(sW));
  let bestIndex = i32x4.add(i32x4.splat((ihOrigin + khFirst * dH) * inW + iwOrigin), lanes);
  let best = gather(x, bestIndex);
  for (let kh = khFirst; kh < khLast; kh++) {
    const row = (ihOrigin + kh * dH) * inW + iwOrigin;
    for (let kw = kh == khFirst ? 1 : 0; kw < kW; kw++) {
      const index = i32x4.add(i32x4.splat(row + kw * dW), lanes);
      const v = gather(x, index);
      const take = takeIfGreater(best, v);
      best = v128.bitselect(v, best, take);
      bestIndex = v128.bitselect(index, bestIndex, take);
    }
  }
  v128.store(out, best);
  v128.store(argmax, bestIndex);
}

/**
 * Max windows (oh, ow) for ow in [from, outW) of the plane at `x`, any geometry; `out` and `argmax`
 * point at output row oh. The row's taps are found once, each column's as it comes; four windows
 * whose columns lie inside the input go through fourWindowsAnyStride.
 */
function maxRow(args: usize, x: usize, oh: i32, from: i32, out: usize, argmax: usize): void {
  const inH = arg(args, MAX_POOL2D_IN_H), inW = arg(args, MAX_POOL2D_IN_W), kW = arg(args, MAX_POOL2D_K_W), sW = arg(args, MAX_POOL2D_S_W), pW = arg(args, MAX_POOL2D_P_W);
  const dH = arg(args, MAX_POOL2D_D_H), dW = arg(args, MAX_POOL2D_D_W);
  const ihOrigin = oh * arg(args, MAX_POOL2D_S_H) - arg(args, MAX_POOL2D_P_H);
  const khFirst = firstTap(ihOrigin, dH, arg(args, MAX_POOL2D_K_H)), khLast = lastTap(ihOrigin, dH, inH, arg(args, MAX_POOL2D_K_H), khFirst);
  const outW = arg(args, MAX_POOL2D_OUT_W);
  for (let ow = from; ow < outW; ow++) {
    const iwOrigin = ow * sW - pW;
    if (ow + 4 <= outW && khFirst < khLast && iwOrigin >= 0 && iwOrigin + 3 * sW + (kW - 1) * dW < inW) {
      fourWindowsAnyStride(x, inW, kW, sW, dH, dW, ihOrigin, khFirst, khLast, iwOrigin, f32At(out, ow), f32At(argmax, ow));
      ow += 3;
      continue;
    }
    const kwFirst = firstTap(iwOrigin, dW, kW), kwLast = lastTap(iwOrigin, dW, inW, kW, kwFirst);
    // −∞ with the first in-bounds tap, so that tap wins even when it holds −∞; no tap: argmax −1.
    let best: f32 = -Infinity;
    let bestIndex = khFirst == khLast || kwFirst == kwLast ? -1 : (ihOrigin + khFirst * dH) * inW + iwOrigin + kwFirst * dW;
    for (let kh = khFirst; kh < khLast; kh++) {
      const row = (ihOrigin + kh * dH) * inW + iwOrigin;
      for (let kw = kwFirst; kw < kwLast; kw++) {
        const index = row + kw * dW;
        const value = load<f32>(f32At(x, index));
        // select, not if: on random data the branch mispredicts.
        const take = value > best || isNaN(value);
        best = select(value, best, take);
        bestIndex = select(index, bestIndex, take);
      }
    }
    store<f32>(f32At(out, ow), best);
    store<i32>(f32At(argmax, ow), bestIndex);
  }
}

/** Whether the max pool is 2×2 with stride 2 and no padding or dilation: the training step's MaxPool2d(2). */
function isTwoByTwo(args: usize): bool {
  return (
    arg(args, MAX_POOL2D_K_H) == 2 && arg(args, MAX_POOL2D_K_W) == 2 && arg(args, MAX_POOL2D_S_H) == 2 && arg(args, MAX_POOL2D_S_W) == 2 &&
    arg(args, MAX_POOL2D_P_H) == 0 && arg(args, MAX_POOL2D_P_W) == 0 && arg(args, MAX_POOL2D_D_H) == 1 && arg(args, MAX_POOL2D_D_W) == 1
  );
}

/**
 * Four 2×2 windows at once: output row oh, outputs ow..ow+3 read input columns 2·ow…2·ow+7 of rows
 * 2·oh and 2·oh+1; the taps are compared in window order (0,0), (0,1), (1,0), (1,1).
 */
@inline function fourWindows(x: usize, inW: i32, oh: i32, ow: i32, out: usize, argmax: usize): void {
  const index00 = (2 * oh) * inW + 2 * ow;
  const row0 = f32At(x, index00), row1 = f32At(row0, inW);
  const a0 = v128.load(row0), a1 = v128.load(row0, 16), b0 = v128.load(row1), b1 = v128.load(row1, 16);
  const i00 = i32x4.add(i32x4.splat(index00), i32x4(0, 2, 4, 6));
  let best = f32x4.shuffle(a0, a1, 0, 2, 4, 6);
  let index = i00;
  let v = f32x4.shuffle(a0, a1, 1, 3, 5, 7);
  let take = takeIfGreater(best, v);
  best = v128.bitselect(v, best, take);
  index = v128.bitselect(i32x4.add(i00, i32x4.splat(1)), index, take);
  v = f32x4.shuffle(b0, b1, 0, 2, 4, 6);
  take = takeIfGreater(best, v);
  best = v128.bitselect(v, best, take);
  index = v128.bitselect(i32x4.add(i00, i32x4.splat(inW)), index, take);
  v = f32x4.shuffle(b0, b1, 1, 3, 5, 7);
  take = takeIfGreater(best, v);
  best = v128.bitselect(v, best, take);
  index = v128.bitselect(i32x4.add(i00, i32x4.splat(inW + 1)), index, take);
  v128.store(out, best);
  v128.store(argmax, index);
}

export function maxPool2dForward(args: usize, share: i32, shares: i32, _thread: i32): void {
  const inH = arg(args, MAX_POOL2D_IN_H), inW = arg(args, MAX_POOL2D_IN_W), outH = arg(args, MAX_POOL2D_OUT_H), outW = arg(args, MAX_POOL2D_OUT_W);
  const x = ptr(args, MAX_POOL2D_FORWARD_X), out = ptr(args, MAX_POOL2D_FORWARD_OUT), argmax = ptr(args, MAX_POOL2D_FORWARD_ARGMAX);
  const inPlane = inH * inW, outPlane = outH * outW;
  const twoByTwo = isTwoByTwo(args);
  // In the 2×2 case, output rows below fullRows and columns below fullCols read only real input
  // (ceil mode can add a last row or column of half windows; those, and rows under 8 wide, take maxRow).
  const fullRows = twoByTwo ? min(outH, inH / 2) : 0;
  const fullCols = twoByTwo ? min(outW, inW / 2) : 0;
  const end = shareStart(arg(args, MAX_POOL2D_PLANES), 1, share + 1, shares);
  for (let p = shareStart(arg(args, MAX_POOL2D_PLANES), 1, share, shares); p < end; p++) {
    const plane = f32At(x, p * inPlane);
    for (let oh = 0; oh < outH; oh++) {
      const o = p * outPlane + oh * outW;
      let ow = 0;
      if (oh < fullRows) {
        for (; ow + 4 <= fullCols; ow += 4) fourWindows(plane, inW, oh, ow, f32At(out, o + ow), f32At(argmax, o + ow));
        // The last 1–3 full windows: four ending at fullCols, rewriting some with the same values.
        if (ow < fullCols && fullCols >= 4) {
          fourWindows(plane, inW, oh, fullCols - 4, f32At(out, o + fullCols - 4), f32At(argmax, o + fullCols - 4));
          ow = fullCols;
        }
      }
      maxRow(args, plane, oh, ow, f32At(out, o), f32At(argmax, o));
    }
  }
}

/** dx[p, argmax] += dy[p, o] for every output o of this share's planes (none where argmax is −1), each plane zeroed first. */
export function maxPool2dBackward(args: usize, share: i32, shares: i32, _thread: i32): void {
  const inPlane = arg(args, MAX_POOL2D_IN_H) * arg(args, MAX_POOL2D_IN_W), outPlane = arg(args, MAX_POOL2D_OUT_H) * arg(args, MAX_POOL2D_OUT_W);
  const dy = ptr(args, MAX_POOL2D_BACKWARD_DY), argmax = ptr(args, MAX_POOL2D_BACKWARD_ARGMAX), dx = ptr(args, MAX_POOL2D_BACKWARD_DX);
  const end = shareStart(arg(args, MAX_POOL2D_PLANES), 1, share + 1, shares);
  for (let p = shareStart(arg(args, MAX_POOL2D_PLANES), 1, share, shares); p < end; p++) {
    const plane = f32At(dx, p * inPlane);
    memory.fill(plane, 0, (<usize>inPlane) << 2);
    for (let o = p * outPlane; o < (p + 1) * outPlane; o++) {
      const index = load<i32>(f32At(argmax, o));
      if (index >= 0) store<f32>(f32At(plane, index), load<f32>(f32At(plane, index)) + load<f32>(f32At(dy, o)));
    }
  }
}

/**
 * Every average window of this share's planes, from src to dst: forward (scatter false, x to out)
 * out[o] = Σ x over the window / divisor; backward (scatter true) dx += dy[o] / divisor over the window. Windows are visited in
 * output order, as the js kernels do, so overlapping windows add into dx in their order.
 */
@inline function averageWindows(args: usize, share: i32, shares: i32, scatter: bool, src: usize, dst: usize): void {
  const inH = arg(args, AVG_POOL2D_IN_H), inW = arg(args, AVG_POOL2D_IN_W), outH = arg(args, AVG_POOL2D_OUT_H), outW = arg(args, AVG_POOL2D_OUT_W);
  const rowStart = ptr(args, AVG_POOL2D_ROW_START), rowEnd = ptr(args, AVG_POOL2D_ROW_END), colStart = ptr(args, AVG_POOL2D_COL_START), colEnd = ptr(args, AVG_POOL2D_COL_END);
  const rowDivisor = ptr(args, AVG_POOL2D_ROW_DIVISOR), colDivisor = ptr(args, AVG_POOL2D_COL_DIVISOR);
  const end = shareStart(arg(args, AVG_POOL2D_PLANES), 1, share + 1, shares);
  for (let p = shareStart(arg(args, AVG_POOL2D_PLANES), 1, share, shares); p < end; p++) {
    const plane = f32At(scatter ? dst : src, p * inH * inW);
    for (let oh = 0; oh < outH; oh++) {
      const r0 = load<i32>(f32At(rowStart, oh)), r1 = load<i32>(f32At(rowEnd, oh));
      for (let ow = 0; ow < outW; ow++) {
        const c0 = load<i32>(f32At(colStart, ow)), c1 = load<i32>(f32At(colEnd, ow));
        const o = f32At(scatter ? src : dst, (p * outH + oh) * outW + ow);
        const divisor = load<f64>(f64At(rowDivisor, oh)) * load<f64>(f64At(colDivisor, ow));
        const share = scatter ? <f64>load<f32>(o) / divisor : 0;
        let sum: f64 = 0;
        for (let r = r0; r < r1; r++) {
          for (let c = c0; c < c1; c++) {
            const at = f32At(plane, r * inW + c);
            if (scatter) store<f32>(at, <f32>(<f64>load<f32>(at) + share));
            else sum += <f64>load<f32>(at);
          }
        }
        if (!scatter) store<f32>(o, <f32>(sum / divisor));
      }
    }
  }
}

export function avgPool2dForward(args: usize, share: i32, shares: i32, _thread: i32): void {
  averageWindows(args, share, shares, false, ptr(args, AVG_POOL2D_FORWARD_X), ptr(args, AVG_POOL2D_FORWARD_OUT));
}

/** dx is accumulated into. */
export function avgPool2dBackward(args: usize, share: i32, shares: i32, _thread: i32): void {
  averageWindows(args, share, shares, true, ptr(args, AVG_POOL2D_BACKWARD_DY), ptr(args, AVG_POOL2D_BACKWARD_DX));
}
