/**
 * Batch norm on gpu.js. The elementwise passes (normalize, inputGradient) run a thread per value;
 * the per-channel reductions (channelMoments, gradientSums) run a thread per channel summing its
 * N·S values, which is little parallelism on a GPU but keeps the sums in one place and the two-pass
 * variance of the reference. channelMoments is a two-kernel pass: the mean kernel's output stays
 * on the device (pipeline) and feeds the variance kernel; both are read back once, at the end.
 * Kernel bodies follow the rules in kernels/conv2d/gpujs.ts (constant loop bounds, float-safe index
 * splitting). Sums are float32, so their error grows with N·S.
 */
import { type GpuJsKernelFunction, readBack, runKernel, toFloat32, withGpuJs } from '../gpujs/context';
import { type ChannelLayout, valuesPerChannel } from './geometry';
import type { BatchNormKernels, BatchNormPasses } from './kernels';
import { composedTraining } from './training';
import { jsBatchNorm } from './js';

/** The layout as kernel constants (a type alias: gpu.js constants must be a plain record). */
type LayoutConstants = { batch: number; channels: number; spatial: number };
type This = ThisParameterType<GpuJsKernelFunction<LayoutConstants>>;

const constantsOf = ({ batch, channels, spatial }: ChannelLayout): LayoutConstants => ({ batch, channels, spatial });

function channelMean(this: This, x: Float32Array): number {
  let sum = 0;
  for (let n = 0; n < this.constants.batch; n++) {
    for (let s = 0; s < this.constants.spatial; s++) sum += x[(n * this.constants.channels + this.thread.x) * this.constants.spatial + s];
  }
  return sum / (this.constants.batch * this.constants.spatial);
}

function channelVariance(this: This, x: Float32Array, mean: Float32Array): number {
  const mu = mean[this.thread.x];
  let squares = 0;
  for (let n = 0; n < this.constants.batch; n++) {
    for (let s = 0; s < this.constants.spatial; s++) {
      const d = x[(n * this.constants.channels + this.thread.x) * this.constants.spatial + s] - mu;
      squares += d * d;
    }
  }
  return squares / (this.constants.batch * this.constants.spatial);
}

// The elementwise kernels find their value's channel c = ⌊i / S⌋ mod C inline: gpu.js helper
// functions cannot read this.constants.

/** coefficients: [mean…, scale…, shift…]. */
function normalizeValue(this: This, x: Float32Array, coefficients: Float32Array): number {
  const run = Math.floor((this.thread.x + 0.5) / this.constants.spatial);
  const c = run - Math.floor((run + 0.5) / this.constants.channels) * this.constants.channels;
  return (x[this.thread.x] - coefficients[c]) * coefficients[this.constants.channels + c] + coefficients[2 * this.constants.channels + c];
}

/** Threads [0, C) give Σ dy of their channel; threads [C, 2C) give Σ dy·(x − mean). */
function channelGradientSums(this: This, dy: Float32Array, x: Float32Array, mean: Float32Array): number {
  const centered = this.thread.x >= this.constants.channels ? 1 : 0;
  const c = this.thread.x - centered * this.constants.channels;
  let sum = 0;
  for (let n = 0; n < this.constants.batch; n++) {
    for (let s = 0; s < this.constants.spatial; s++) {
      const i = (n * this.constants.channels + c) * this.constants.spatial + s;
      sum += centered === 1 ? dy[i] * (x[i] - mean[c]) : dy[i];
    }
  }
  return sum;
}

/** coefficients: [mean…, gain…, offset…, slope…]. */
function inputGradientValue(this: This, dy: Float32Array, x: Float32Array, coefficients: Float32Array): number {
  const run = Math.floor((this.thread.x + 0.5) / this.constants.spatial);
  const c = run - Math.floor((run + 0.5) / this.constants.channels) * this.constants.channels;
  const channels = this.constants.channels;
  return (
    coefficients[channels + c] *
    (dy[this.thread.x] - coefficients[2 * channels + c] - (x[this.thread.x] - coefficients[c]) * coefficients[3 * channels + c])
  );
}

/** Per-channel vectors side by side in one array, one kernel argument instead of several. */
function packed(...vectors: Float64Array[]): Float32Array {
  const out = new Float32Array(vectors.reduce((n, v) => n + v.length, 0));
  let at = 0;
  for (const v of vectors) {
    out.set(v, at);
    at += v.length;
  }
  return out;
}

/** gpu.js takes no empty arrays; with nothing to sum the js kernel gives the reference's answer. */
const isEmpty = (layout: ChannelLayout): boolean => layout.channels === 0 || valuesPerChannel(layout) === 0;

const passes: BatchNormPasses = {
  channelMoments(x, layout, mean, variance) {
    const fallback = (): void => jsBatchNorm.channelMoments(x, layout, mean, variance);
    if (isEmpty(layout)) return fallback();
    withGpuJs((compile) => {
      const values = toFloat32(x);
      const means = compile(channelMean, layout.channels, constantsOf(layout), { pipeline: true })(values);
      const variances = compile(channelVariance, layout.channels, constantsOf(layout))(values, means);
      variance.set(readBack(variances, layout.channels));
      mean.set(readBack(means, layout.channels));
    }, fallback);
  },

  normalize(x, layout, mean, scale, shift, y) {
    runKernel(normalizeValue, constantsOf(layout), [x, packed(mean, scale, shift)], y, () =>
      jsBatchNorm.normalize(x, layout, mean, scale, shift, y),
    );
  },

  gradientSums(dy, x, layout, mean, sumDy, sumDyCentered) {
    const fallback = (): void => jsBatchNorm.gradientSums(dy, x, layout, mean, sumDy, sumDyCentered);
    if (isEmpty(layout)) return fallback();
    withGpuJs((compile) => {
      const sums = readBack(
        compile(channelGradientSums, 2 * layout.channels, constantsOf(layout))(toFloat32(dy), toFloat32(x), toFloat32(mean)),
        2 * layout.channels,
      );
      sumDy.set(sums.subarray(0, layout.channels));
      sumDyCentered.set(sums.subarray(layout.channels));
    }, fallback);
  },

  inputGradient(dy, x, layout, k, dx) {
    runKernel(inputGradientValue, constantsOf(layout), [dy, x, packed(k.mean, k.gain, k.offset, k.slope)], dx, () =>
      jsBatchNorm.inputGradient(dy, x, layout, k, dx),
    );
  },
};

// The plain sums stay on the CPU: a conv's bias gradient is one read of dy, less than a round trip to the GPU.
export const gpujsBatchNorm: BatchNormKernels = { ...passes, channelSums: jsBatchNorm.channelSums, ...composedTraining(passes) };
