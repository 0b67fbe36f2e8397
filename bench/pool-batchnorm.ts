/**
 * maxPool2d and batchNorm benchmark: dropgrad's reference, js and wasm kernels against
 * TensorFlow.js (cpu backend; the wasm backend for forward), in one process, float32.
 *
 *   npx tsx bench/pool-batchnorm.ts            (everything)
 *   npx tsx bench/pool-batchnorm.ts kernels    (only the per-kernel tables)
 *
 * The per-kernel tables time each pool2d and batch-norm kernel of the js backend against the wasm
 * one on 1 and 2 threads (copies into and out of wasm memory included) on the shapes of the
 * training step (models.smallCnn, batch 64): they decide which kernels the wasm backend runs.
 * Their "GFLOP/s" counts one operation per input element. Peers measured on this machine while
 * other work runs are timed in interleaved rounds (dropgrad's backends too), so load hits all alike.
 *
 * batchNorm is timed in training mode: per-channel moments, normalization and (dropgrad) the
 * running-stat update; tfjs computes tf.moments then tf.batchNorm, and differentiates through
 * both for fwd+bwd (gradients w.r.t. input, scale and offset). tfjs runs in its native NHWC
 * layout. "GFLOP/s" counts nominal operations (max pool: one comparison per window tap; batch
 * norm: 8 per element forward, 16 forward+backward), only to compare implementations.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { Generator, type Tensor, ones, randn, withBackend, zeros } from '../index';
import type { BackendName } from '../index';
import { maxPool2d } from '../lib/ops/pool2d';
import { batchNorm } from '../lib/ops/batchnorm';
import type { BatchNormKernels, ChannelLayout } from '../kernels/batchnorm';
import { jsBatchNorm } from '../kernels/batchnorm/js';
import { wasmBatchNorm } from '../kernels/batchnorm/wasm';
import { type AvgPool2dGeometry, type MaxPool2dGeometry, type Pool2dKernels, avgPoolWindows } from '../kernels/pool2d';
import { jsPool2d } from '../kernels/pool2d/js';
import { wasmPool2d } from '../kernels/pool2d/wasm';
import { getNumThreads, setNumThreads } from '../kernels/wasm/thread-count';
import { type Result, type TimingOptions, interleavedMediansMs, machine, medianMs, printTable } from './harness';

interface Case {
  name: string;
  n: number;
  c: number;
  size: number;
}

const cases: Case[] = [
  { name: 'N=8, C=64, 32×32', n: 8, c: 64, size: 32 },
  { name: 'MNIST-like: N=64, C=32, 28×28', n: 64, c: 32, size: 28 },
];

type Layer = 'maxPool2d' | 'batchNorm';
const timing: TimingOptions = { warmup: 3, runs: 9 };
const peers = ['dropgrad reference', 'dropgrad js', 'tfjs cpu', 'tfjs wasm'];

const dropgradBackends: readonly BackendName[] = ['reference', 'js', 'wasm'];

/** dropgrad's median ms on each of dropgradBackends, timed in interleaved rounds (same inputs for all). */
function dropgrad(layer: Layer, c: Case, withBackward: boolean): Result[] {
  const x = randn([c.n, c.c, c.size, c.size], { dtype: 'float32', requiresGrad: withBackward });
  const weight = ones([c.c], { dtype: 'float32', requiresGrad: withBackward });
  const bias = zeros([c.c], { dtype: 'float32', requiresGrad: withBackward });
  const runningMean = zeros([c.c], { dtype: 'float32' });
  const runningVar = ones([c.c], { dtype: 'float32' });
  const forward = (): Tensor => (layer === 'maxPool2d' ? maxPool2d(x, 2) : batchNorm(x, runningMean, runningVar, weight, bias, true));
  const upstream = randn(forward().shape, { dtype: 'float32' });
  const step = (): void => {
    const y = forward();
    if (withBackward) y.backward(upstream);
  };
  const ms = interleavedMediansMs(
    dropgradBackends.map((backend) => () => withBackend(backend, step)),
    timing,
  );
  const flops = nominalOps(layer, c, withBackward);
  return dropgradBackends.map((backend, i) => ({ name: `dropgrad ${backend}`, ms: ms[i], flops }));
}

async function tfjs(layer: Layer, c: Case, backend: 'cpu' | 'wasm', withBackward: boolean): Promise<number> {
  await tf.setBackend(backend);
  await tf.ready();
  const x = tf.randomNormal([c.n, c.size, c.size, c.c]) as tf.Tensor4D;
  const scale = tf.ones([c.c]) as tf.Tensor1D;
  const offset = tf.zeros([c.c]) as tf.Tensor1D;
  const forward = (input: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D): tf.Tensor4D => {
    if (layer === 'maxPool2d') return tf.maxPool(input, 2, 2, 'valid');
    const { mean, variance } = tf.moments(input, [0, 1, 2]);
    return tf.batchNorm(input, mean, variance, beta, gamma, 1e-5) as tf.Tensor4D;
  };
  // tf.grads refuses inputs the function does not use, so max pooling differentiates x alone.
  const backward: (dy: tf.Tensor) => tf.Tensor[] =
    layer === 'maxPool2d'
      ? (dy) => [tf.grad((a) => forward(a as tf.Tensor4D, scale, offset))(x, dy)]
      : (dy) => tf.grads((a, b, d) => forward(a as tf.Tensor4D, b as tf.Tensor1D, d as tf.Tensor1D))([x, scale, offset], dy);
  const upstream = tf.tidy(() => tf.randomNormal(forward(x, scale, offset).shape));
  const step = (): void =>
    tf.tidy(() => {
      const outputs = withBackward ? backward(upstream) : [forward(x, scale, offset)];
      for (const t of outputs) t.dataSync();
    });
  const ms = medianMs(step, timing);
  tf.dispose([x, scale, offset, upstream]);
  return ms;
}

/** Nominal operation counts (see the header comment). */
function nominalOps(layer: Layer, c: Case, withBackward: boolean): number {
  const elements = c.n * c.c * c.size * c.size;
  if (layer === 'maxPool2d') return elements * (withBackward ? 2 : 1);
  return elements * (withBackward ? 16 : 8);
}

/** The activations that reach MaxPool2d(2) and BatchNorm2d in a training step of models.smallCnn (batch 64). */
const trainingShapes: Array<[number, number, number, number]> = [
  [64, 16, 28, 28],
  [64, 32, 14, 14],
];
const kernelTiming: TimingOptions = { warmup: 5, runs: 21 };

/**
 * Times `call` with the js kernels and with the wasm ones on 1 and 2 threads, interleaved (see
 * interleavedMediansMs); ops = the input's element count.
 */
function kernelTable<K>(title: string, js: K, wasm: K, elements: number, call: (kernels: K) => void): void {
  const previous = getNumThreads();
  const wasmOn = (threads: number) => (): void => {
    setNumThreads(threads);
    call(wasm);
  };
  const names = ['js', 'wasm 1 thread', 'wasm 2 threads'];
  const ms = interleavedMediansMs([() => call(js), wasmOn(1), wasmOn(2)], kernelTiming);
  setNumThreads(previous);
  const results: Result[] = names.map((name, i) => ({ name, ms: ms[i], flops: elements }));
  printTable(title, results, ['js', 'wasm 1 thread'], 2);
}

const randomFloat32 = (size: number, rng: Generator, offset = 0): Float32Array =>
  Float32Array.from({ length: size }, () => offset + rng.normal());

function poolKernelTables([n, c, h, w]: [number, number, number, number]): void {
  const rng = new Generator(1);
  const [outH, outW] = [Math.floor(h / 2), Math.floor(w / 2)];
  const max: MaxPool2dGeometry = { planes: n * c, inH: h, inW: w, outH, outW, kH: 2, kW: 2, sH: 2, sW: 2, pH: 0, pW: 0, dH: 1, dW: 1 };
  const avg: AvgPool2dGeometry = {
    planes: n * c,
    inH: h,
    inW: w,
    rows: avgPoolWindows(h, outH, 2, 2, 0, true),
    cols: avgPoolWindows(w, outW, 2, 2, 0, true),
  };
  const x = randomFloat32(n * c * h * w, rng);
  const dy = randomFloat32(n * c * outH * outW, rng);
  const out = new Float32Array(dy.length);
  const argmax = new Int32Array(dy.length);
  const dx = new Float32Array(x.length);
  jsPool2d.maxPool2dForward(x, max, out, argmax);
  const shape = `[${n},${c},${h},${w}]`;
  const table = (name: string, call: (k: Pool2dKernels) => void) => kernelTable(`${name} ${shape}`, jsPool2d, wasmPool2d, x.length, call);
  table('maxPool2dForward 2×2', (k) => k.maxPool2dForward(x, max, out, argmax));
  table('maxPool2dBackward 2×2', (k) => k.maxPool2dBackward(dy, argmax, max, dx));
  table('avgPool2dForward 2×2', (k) => k.avgPool2dForward(x, avg, out));
  table('avgPool2dBackward 2×2', (k) => k.avgPool2dBackward(dy, avg, dx));
}

function batchNormKernelTables([n, c, h, w]: [number, number, number, number]): void {
  const rng = new Generator(2);
  const layout: ChannelLayout = { batch: n, channels: c, spatial: h * w };
  const x = randomFloat32(n * c * h * w, rng, 1);
  const dy = randomFloat32(x.length, rng);
  const y = new Float32Array(x.length);
  const vector = (): Float64Array => Float64Array.from({ length: c }, () => rng.uniform(0.5, 1.5));
  const [mean, variance, scale, shift, sumDy, sumDyCentered] = [vector(), vector(), vector(), vector(), vector(), vector()];
  const coefficients = { mean, gain: vector(), offset: vector(), slope: vector() };
  const shape = `[${n},${c},${h},${w}]`;
  const table = (name: string, call: (k: BatchNormKernels) => void) =>
    kernelTable(`${name} ${shape}`, jsBatchNorm, wasmBatchNorm, x.length, call);
  table('batchNorm channelMoments', (k) => k.channelMoments(x, layout, mean, variance));
  table('batchNorm normalize', (k) => k.normalize(x, layout, mean, scale, shift, y));
  table('batchNorm gradientSums', (k) => k.gradientSums(dy, x, layout, mean, sumDy, sumDyCentered));
  table('batchNorm inputGradient', (k) => k.inputGradient(dy, x, layout, coefficients, y));
}

function kernelTables(): void {
  console.log(
    `\npool2d and batch-norm kernels, js vs wasm (copies in and out included), float32, median of ${kernelTiming.runs} interleaved runs after ${kernelTiming.warmup} warm-up — ${machine()}`,
  );
  for (const shape of trainingShapes) {
    poolKernelTables(shape);
    batchNormKernelTables(shape);
  }
}

async function main(): Promise<void> {
  kernelTables();
  if (process.argv[2] === 'kernels') return;
  console.log(
    `\nmaxPool2d (2×2, stride 2) and batchNorm (training) benchmark (float32, median of ${timing.runs} runs after ${timing.warmup} warm-up; dropgrad's backends interleaved) — ${machine()}`,
  );
  for (const c of cases) {
    for (const layer of ['maxPool2d', 'batchNorm'] as const) {
      const forwardOps = nominalOps(layer, c, false);
      const forward: Result[] = [
        ...dropgrad(layer, c, false),
        { name: 'tfjs cpu', ms: await tfjs(layer, c, 'cpu', false), flops: forwardOps },
        { name: 'tfjs wasm', ms: await tfjs(layer, c, 'wasm', false), flops: forwardOps },
      ];
      printTable(`${layer} ${c.name} — forward`, forward, peers);
      const both: Result[] = [
        ...dropgrad(layer, c, true),
        { name: 'tfjs cpu', ms: await tfjs(layer, c, 'cpu', true), flops: nominalOps(layer, c, true) },
      ];
      printTable(`${layer} ${c.name} — fwd+bwd`, both, peers);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
