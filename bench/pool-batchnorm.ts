/**
 * maxPool2d and batchNorm benchmark: dropgrad's reference and js kernels against TensorFlow.js
 * (cpu backend; the wasm backend for forward), in one process, float32.
 *
 *   npx tsx bench/pool-batchnorm.ts
 *
 * batchNorm is timed in training mode: per-channel moments, normalization and (dropgrad) the
 * running-stat update; tfjs computes tf.moments then tf.batchNorm, and differentiates through
 * both for fwd+bwd (gradients w.r.t. input, scale and offset). tfjs runs in its native NHWC
 * layout. "GFLOP/s" counts nominal operations (max pool: one comparison per window tap; batch
 * norm: 8 per element forward, 16 forward+backward), only to compare implementations.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { type Tensor, ones, randn, withBackend, zeros } from '../index';
import type { BackendName } from '../index';
import { maxPool2d } from '../lib/ops/pool2d';
import { batchNorm } from '../lib/ops/batchnorm';
import { type Result, type TimingOptions, machine, medianMs, printTable } from './harness';

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
const peers = ['dropgrad reference', 'tfjs cpu', 'tfjs wasm'];

function dropgrad(layer: Layer, c: Case, backend: BackendName, withBackward: boolean): number {
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
  return withBackend(backend, () => medianMs(step, timing));
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

async function main(): Promise<void> {
  console.log(
    `maxPool2d (2×2, stride 2) and batchNorm (training) benchmark (float32, median of ${timing.runs} runs after ${timing.warmup} warm-up) — ${machine()}`,
  );
  for (const c of cases) {
    for (const layer of ['maxPool2d', 'batchNorm'] as const) {
      const forwardOps = nominalOps(layer, c, false);
      const forward: Result[] = [
        { name: 'dropgrad reference', ms: dropgrad(layer, c, 'reference', false), flops: forwardOps },
        { name: 'dropgrad js', ms: dropgrad(layer, c, 'js', false), flops: forwardOps },
        { name: 'tfjs cpu', ms: await tfjs(layer, c, 'cpu', false), flops: forwardOps },
        { name: 'tfjs wasm', ms: await tfjs(layer, c, 'wasm', false), flops: forwardOps },
      ];
      printTable(`${layer} ${c.name} — forward`, forward, peers);
      const bothOps = nominalOps(layer, c, true);
      const both: Result[] = [
        { name: 'dropgrad reference', ms: dropgrad(layer, c, 'reference', true), flops: bothOps },
        { name: 'dropgrad js', ms: dropgrad(layer, c, 'js', true), flops: bothOps },
        { name: 'tfjs cpu', ms: await tfjs(layer, c, 'cpu', true), flops: bothOps },
      ];
      printTable(`${layer} ${c.name} — fwd+bwd`, both, peers);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
