/**
 * Batch norm's four O(N·C·S) passes, its plain channel sums, and training's two fused calls, on wasm memory (see kernels/batchnorm/kernels.ts): element data
 * float32 in the (N, C, S) layout of kernels/batchnorm/geometry.ts, per-channel vectors float64.
 * Arithmetic is float64, as in kernels/batchnorm/js.ts: the elementwise passes compute exactly the
 * js expression (so their values are bitwise the js ones); the sums run in float64x2 lanes, four
 * floats per step, which orders their additions differently from js (within rounding of it).
 *
 * Threads split the CHANNELS: each channel's sums are computed by one thread, in one order
 * (n, then s), so they do not depend on the thread count.
 *
 * The argument blocks are declared in kernels/wasm/argument-blocks.ts (read here through the
 * constants generated from it into slots.ts): batch, channels, spatial, then each pass's operands.
 */
import { shareStart } from './share';
import { arg, f32At, f64At, ptr } from './memory';
import { demote, high, low } from './float64-lanes';
import {
  BATCH_NORM_BATCH, BATCH_NORM_CHANNELS, BATCH_NORM_SPATIAL, BATCH_NORM_CHANNEL_SUMS_SUMS, BATCH_NORM_CHANNEL_SUMS_X,
  BATCH_NORM_GRADIENT_SUMS_DY, BATCH_NORM_GRADIENT_SUMS_MEAN, BATCH_NORM_GRADIENT_SUMS_SUM_DY,
  BATCH_NORM_GRADIENT_SUMS_SUM_DY_CENTERED, BATCH_NORM_GRADIENT_SUMS_X,
  BATCH_NORM_INPUT_GRADIENT_DX, BATCH_NORM_INPUT_GRADIENT_DY, BATCH_NORM_INPUT_GRADIENT_GAIN, BATCH_NORM_INPUT_GRADIENT_MEAN,
  BATCH_NORM_INPUT_GRADIENT_OFFSET, BATCH_NORM_INPUT_GRADIENT_SLOPE, BATCH_NORM_INPUT_GRADIENT_X,
  BATCH_NORM_MOMENTS_MEAN, BATCH_NORM_MOMENTS_VARIANCE, BATCH_NORM_MOMENTS_X,
  BATCH_NORM_NORMALIZE_MEAN, BATCH_NORM_NORMALIZE_SCALE, BATCH_NORM_NORMALIZE_SHIFT, BATCH_NORM_NORMALIZE_X,
  BATCH_NORM_NORMALIZE_Y,
  BATCH_NORM_TRAINING_FORWARD_X, BATCH_NORM_TRAINING_FORWARD_GAMMA, BATCH_NORM_TRAINING_FORWARD_BETA, BATCH_NORM_TRAINING_FORWARD_EPS,
  BATCH_NORM_TRAINING_FORWARD_MEAN, BATCH_NORM_TRAINING_FORWARD_VARIANCE, BATCH_NORM_TRAINING_FORWARD_INV_STD, BATCH_NORM_TRAINING_FORWARD_Y,
  BATCH_NORM_TRAINING_BACKWARD_DY, BATCH_NORM_TRAINING_BACKWARD_X, BATCH_NORM_TRAINING_BACKWARD_MEAN, BATCH_NORM_TRAINING_BACKWARD_INV_STD,
  BATCH_NORM_TRAINING_BACKWARD_GAMMA, BATCH_NORM_TRAINING_BACKWARD_SUM_DY, BATCH_NORM_TRAINING_BACKWARD_SUM_DY_CENTERED,
  BATCH_NORM_TRAINING_BACKWARD_DX,
} from './slots';

@inline function channelValue(vector: usize, c: i32): f64 {
  return load<f64>(f64At(vector, c));
}
@inline function setChannelValue(vector: usize, c: i32, value: f64): void {
  store<f64>(f64At(vector, c), value);
}

@inline function lanes(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/** The first flat index of channel c's run of S values in image n. */
@inline function run(args: usize, n: i32, c: i32): i32 {
  return (n * arg(args, BATCH_NORM_CHANNELS) + c) * arg(args, BATCH_NORM_SPATIAL);
}

/** Where share `share`'s channels start (they end where share + 1's start). */
@inline function firstChannel(args: usize, share: i32, shares: i32): i32 {
  return shareStart(arg(args, BATCH_NORM_CHANNELS), 1, share, shares);
}

/** Σ (x − mu)^power over channel c, power 1 (with mu = 0: the plain sum) or 2. */
function channelSum(args: usize, x: usize, c: i32, mu: f64, squared: bool): f64 {
  const spatial = arg(args, BATCH_NORM_SPATIAL), vmu = f64x2.splat(mu);
  let lo = f64x2.splat(0), hi = f64x2.splat(0);
  let tail: f64 = 0;
  for (let n = 0; n < arg(args, BATCH_NORM_BATCH); n++) {
    const values = f32At(x, run(args, n, c));
    let s = 0;
    for (; s + 4 <= spatial; s += 4) {
      const v = v128.load(f32At(values, s));
      const dLo = f64x2.sub(low(v), vmu), dHi = f64x2.sub(high(v), vmu);
      lo = f64x2.add(lo, squared ? f64x2.mul(dLo, dLo) : dLo);
      hi = f64x2.add(hi, squared ? f64x2.mul(dHi, dHi) : dHi);
    }
    for (; s < spatial; s++) {
      const d = <f64>load<f32>(f32At(values, s)) - mu;
      tail += squared ? d * d : d;
    }
  }
  return lanes(f64x2.add(lo, hi)) + tail;
}

/** Each channel's plain sum (a convolution's bias gradient: kernels/batchnorm/kernels.ts). */
export function batchNormChannelSums(args: usize, share: i32, shares: i32, _thread: i32): void {
  const x = ptr(args, BATCH_NORM_CHANNEL_SUMS_X), sums = ptr(args, BATCH_NORM_CHANNEL_SUMS_SUMS);
  const end = firstChannel(args, share + 1, shares);
  for (let c = firstChannel(args, share, shares); c < end; c++) setChannelValue(sums, c, channelSum(args, x, c, 0, false));
}

/** The mean, then the mean squared deviation (two passes): mean and variance are outputs. */
export function batchNormMoments(args: usize, share: i32, shares: i32, _thread: i32): void {
  const x = ptr(args, BATCH_NORM_MOMENTS_X), mean = ptr(args, BATCH_NORM_MOMENTS_MEAN), variance = ptr(args, BATCH_NORM_MOMENTS_VARIANCE);
  const m = <f64>arg(args, BATCH_NORM_BATCH) * <f64>arg(args, BATCH_NORM_SPATIAL);
  const end = firstChannel(args, share + 1, shares);
  for (let c = firstChannel(args, share, shares); c < end; c++) {
    const mu = channelSum(args, x, c, 0, false) / m;
    setChannelValue(mean, c, mu);
    setChannelValue(variance, c, channelSum(args, x, c, mu, true) / m);
  }
}

/** Channel c of y = (x − mu) · a + b. */
@inline function normalizeChannel(args: usize, x: usize, y: usize, c: i32, mu: f64, a: f64, b: f64): void {
  const spatial = arg(args, BATCH_NORM_SPATIAL);
  const vmu = f64x2.splat(mu), va = f64x2.splat(a), vb = f64x2.splat(b);
  for (let n = 0; n < arg(args, BATCH_NORM_BATCH); n++) {
    const first = run(args, n, c);
    const xs = f32At(x, first), ys = f32At(y, first);
    let s = 0;
    for (; s + 4 <= spatial; s += 4) {
      const v = v128.load(f32At(xs, s));
      const lo = f64x2.add(f64x2.mul(f64x2.sub(low(v), vmu), va), vb);
      const hi = f64x2.add(f64x2.mul(f64x2.sub(high(v), vmu), va), vb);
      v128.store(f32At(ys, s), demote(lo, hi));
    }
    for (; s < spatial; s++) store<f32>(f32At(ys, s), <f32>((<f64>load<f32>(f32At(xs, s)) - mu) * a + b));
  }
}

/** y = (x − mean) · scale + shift. */
export function batchNormNormalize(args: usize, share: i32, shares: i32, _thread: i32): void {
  const x = ptr(args, BATCH_NORM_NORMALIZE_X), y = ptr(args, BATCH_NORM_NORMALIZE_Y);
  const end = firstChannel(args, share + 1, shares);
  for (let c = firstChannel(args, share, shares); c < end; c++) {
    const mu = channelValue(ptr(args, BATCH_NORM_NORMALIZE_MEAN), c);
    normalizeChannel(args, x, y, c, mu, channelValue(ptr(args, BATCH_NORM_NORMALIZE_SCALE), c), channelValue(ptr(args, BATCH_NORM_NORMALIZE_SHIFT), c));
  }
}

/** Channel c's sumDy = Σ dy and sumDyCentered = Σ dy · (x − mu), stored at c in the two output vectors. */
@inline function channelGradientSums(args: usize, dy: usize, x: usize, c: i32, mu: f64, sumDy: usize, sumDyCentered: usize): void {
  const spatial = arg(args, BATCH_NORM_SPATIAL), vmu = f64x2.splat(mu);
  let plainLo = f64x2.splat(0), plainHi = f64x2.splat(0), centeredLo = f64x2.splat(0), centeredHi = f64x2.splat(0);
  let plain: f64 = 0, centered: f64 = 0;
  for (let n = 0; n < arg(args, BATCH_NORM_BATCH); n++) {
    const first = run(args, n, c);
    const gs = f32At(dy, first), xs = f32At(x, first);
    let s = 0;
    for (; s + 4 <= spatial; s += 4) {
      const g = v128.load(f32At(gs, s)), v = v128.load(f32At(xs, s));
      const gLo = low(g), gHi = high(g);
      plainLo = f64x2.add(plainLo, gLo);
      plainHi = f64x2.add(plainHi, gHi);
      centeredLo = f64x2.add(centeredLo, f64x2.mul(gLo, f64x2.sub(low(v), vmu)));
      centeredHi = f64x2.add(centeredHi, f64x2.mul(gHi, f64x2.sub(high(v), vmu)));
    }
    for (; s < spatial; s++) {
      const g = <f64>load<f32>(f32At(gs, s));
      plain += g;
      centered += g * (<f64>load<f32>(f32At(xs, s)) - mu);
    }
  }
  setChannelValue(sumDy, c, lanes(f64x2.add(plainLo, plainHi)) + plain);
  setChannelValue(sumDyCentered, c, lanes(f64x2.add(centeredLo, centeredHi)) + centered);
}

/** The outputs sumDy = Σ dy and sumDyCentered = Σ dy · (x − mean). */
export function batchNormGradientSums(args: usize, share: i32, shares: i32, _thread: i32): void {
  const dy = ptr(args, BATCH_NORM_GRADIENT_SUMS_DY), x = ptr(args, BATCH_NORM_GRADIENT_SUMS_X);
  const sumDy = ptr(args, BATCH_NORM_GRADIENT_SUMS_SUM_DY), sumDyCentered = ptr(args, BATCH_NORM_GRADIENT_SUMS_SUM_DY_CENTERED);
  const end = firstChannel(args, share + 1, shares);
  for (let c = firstChannel(args, share, shares); c < end; c++) {
    channelGradientSums(args, dy, x, c, channelValue(ptr(args, BATCH_NORM_GRADIENT_SUMS_MEAN), c), sumDy, sumDyCentered);
  }
}

/** Channel c of dx = gain · (dy − offset − (x − mu) · slope). */
@inline function inputGradientChannel(args: usize, dy: usize, x: usize, dx: usize, c: i32, mu: f64, gain: f64, offset: f64, slope: f64): void {
  const spatial = arg(args, BATCH_NORM_SPATIAL);
  const vmu = f64x2.splat(mu), vgain = f64x2.splat(gain), voffset = f64x2.splat(offset), vslope = f64x2.splat(slope);
  for (let n = 0; n < arg(args, BATCH_NORM_BATCH); n++) {
    const first = run(args, n, c);
    const gs = f32At(dy, first), xs = f32At(x, first), out = f32At(dx, first);
    let s = 0;
    for (; s + 4 <= spatial; s += 4) {
      const g = v128.load(f32At(gs, s)), v = v128.load(f32At(xs, s));
      const lo = f64x2.mul(vgain, f64x2.sub(f64x2.sub(low(g), voffset), f64x2.mul(f64x2.sub(low(v), vmu), vslope)));
      const hi = f64x2.mul(vgain, f64x2.sub(f64x2.sub(high(g), voffset), f64x2.mul(f64x2.sub(high(v), vmu), vslope)));
      v128.store(f32At(out, s), demote(lo, hi));
    }
    for (; s < spatial; s++) {
      const g = <f64>load<f32>(f32At(gs, s)), v = <f64>load<f32>(f32At(xs, s));
      store<f32>(f32At(out, s), <f32>(gain * (g - offset - (v - mu) * slope)));
    }
  }
}

/** dx = gain · (dy − offset − (x − mean) · slope). */
export function batchNormInputGradient(args: usize, share: i32, shares: i32, _thread: i32): void {
  const dy = ptr(args, BATCH_NORM_INPUT_GRADIENT_DY), x = ptr(args, BATCH_NORM_INPUT_GRADIENT_X), dx = ptr(args, BATCH_NORM_INPUT_GRADIENT_DX);
  const end = firstChannel(args, share + 1, shares);
  for (let c = firstChannel(args, share, shares); c < end; c++) {
    const mu = channelValue(ptr(args, BATCH_NORM_INPUT_GRADIENT_MEAN), c), gain = channelValue(ptr(args, BATCH_NORM_INPUT_GRADIENT_GAIN), c);
    const offset = channelValue(ptr(args, BATCH_NORM_INPUT_GRADIENT_OFFSET), c), slope = channelValue(ptr(args, BATCH_NORM_INPUT_GRADIENT_SLOPE), c);
    inputGradientChannel(args, dy, x, dx, c, mu, gain, offset, slope);
  }
}

/** σ⁻¹ = 1/√(v + eps), 0 where v + eps = 0: kernels/batchnorm/training.ts' inverseStd. */
@inline function inverseStd(variance: f64, eps: f64): f64 {
  return variance + eps == 0 ? 0 : 1 / sqrt<f64>(variance + eps);
}

/**
 * Training forward with batch statistics, a channel at a time while its values are in cache: the
 * moments, σ⁻¹, then y = (x − mean) · γσ⁻¹ + β (kernels/batchnorm/training.ts composes the same
 * from the passes). mean, variance, invStd and y are outputs; eps is a float64 vector of one.
 */
export function batchNormTrainingForward(args: usize, share: i32, shares: i32, _thread: i32): void {
  const x = ptr(args, BATCH_NORM_TRAINING_FORWARD_X), y = ptr(args, BATCH_NORM_TRAINING_FORWARD_Y);
  const eps = load<f64>(ptr(args, BATCH_NORM_TRAINING_FORWARD_EPS));
  const m = <f64>arg(args, BATCH_NORM_BATCH) * <f64>arg(args, BATCH_NORM_SPATIAL);
  const end = firstChannel(args, share + 1, shares);
  for (let c = firstChannel(args, share, shares); c < end; c++) {
    const mu = channelSum(args, x, c, 0, false) / m;
    const variance = channelSum(args, x, c, mu, true) / m;
    const invStd = inverseStd(variance, eps);
    setChannelValue(ptr(args, BATCH_NORM_TRAINING_FORWARD_MEAN), c, mu);
    setChannelValue(ptr(args, BATCH_NORM_TRAINING_FORWARD_VARIANCE), c, variance);
    setChannelValue(ptr(args, BATCH_NORM_TRAINING_FORWARD_INV_STD), c, invStd);
    const a = channelValue(ptr(args, BATCH_NORM_TRAINING_FORWARD_GAMMA), c) * invStd;
    normalizeChannel(args, x, y, c, mu, a, channelValue(ptr(args, BATCH_NORM_TRAINING_FORWARD_BETA), c));
  }
}

/**
 * Training backward with batch statistics, a channel at a time: the sums (outputs), then dx with
 * gain γσ⁻¹, offset ΣDy / M, slope ΣDy(x − mean) · σ⁻¹ · σ⁻¹ / M, in training.ts' order of operations.
 */
export function batchNormTrainingBackward(args: usize, share: i32, shares: i32, _thread: i32): void {
  const dy = ptr(args, BATCH_NORM_TRAINING_BACKWARD_DY), x = ptr(args, BATCH_NORM_TRAINING_BACKWARD_X), dx = ptr(args, BATCH_NORM_TRAINING_BACKWARD_DX);
  const sumDy = ptr(args, BATCH_NORM_TRAINING_BACKWARD_SUM_DY), sumDyCentered = ptr(args, BATCH_NORM_TRAINING_BACKWARD_SUM_DY_CENTERED);
  const count = <f64>arg(args, BATCH_NORM_BATCH) * <f64>arg(args, BATCH_NORM_SPATIAL);
  const end = firstChannel(args, share + 1, shares);
  for (let c = firstChannel(args, share, shares); c < end; c++) {
    const mu = channelValue(ptr(args, BATCH_NORM_TRAINING_BACKWARD_MEAN), c), invStd = channelValue(ptr(args, BATCH_NORM_TRAINING_BACKWARD_INV_STD), c);
    channelGradientSums(args, dy, x, c, mu, sumDy, sumDyCentered);
    const gain = channelValue(ptr(args, BATCH_NORM_TRAINING_BACKWARD_GAMMA), c) * invStd;
    const offset = channelValue(sumDy, c) / count;
    const slope = (channelValue(sumDyCentered, c) * invStd * invStd) / count;
    inputGradientChannel(args, dy, x, dx, c, mu, gain, offset, slope);
  }
}
