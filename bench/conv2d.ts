/**
 * conv2d benchmark: dropgrad's reference and js kernels against TensorFlow.js (cpu backend, and
 * the wasm backend for forward), all in one process on the same inputs' shapes.
 *
 *   npx tsx bench/conv2d.ts            (about 12 minutes)
 *   npx tsx bench/conv2d.ts --quick    (skips the reference loops and tfjs-cpu's backward: ~1 minute)
 *
 * "fwd+bwd" computes the output and the gradients w.r.t. input and weight (3× the forward FLOPs);
 * the reference path is timed forward only (it is the oracle, not a contender).
 * tfjs runs in its native NHWC layout with [kH, kW, inC, outC] filters.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { type Tensor, onesLike, randn, withBackend } from '../index';
import { getNumThreads, setNumThreads } from '../kernels/wasm/thread-count';
import type { BackendName } from '../index';
import { conv2d } from '../lib/ops/conv2d';
import { conv2dGeometry, forwardFlops } from '../kernels/conv2d';
import { type Result, type TimingOptions, machine, medianMs, printTable, threadsName } from './harness';
import { type Conv2dCase as Case, conv2dCases as cases } from './conv2d-cases';

/**
 * For the implementations that take seconds per call (dropgrad's reference loops, tfjs-cpu's
 * backward, ~1 min on the first shape): one warm-up call instead of two. Even so a full run
 * takes about 8 minutes, most of it in tfjs-cpu's backward.
 */
const slowTiming: TimingOptions = { warmup: 1, runs: 5 };
const peers = ['tfjs cpu', 'tfjs wasm'];
const quick = process.argv.includes('--quick');
const cores = getNumThreads();

function dropgrad(c: Case, backend: BackendName, withBackward: boolean, threads = 1): number {
  setNumThreads(threads);
  const x = randn([c.n, c.inC, c.size, c.size], { dtype: 'float32', requiresGrad: withBackward });
  const w = randn([c.outC, c.inC, c.k, c.k], { dtype: 'float32', requiresGrad: withBackward });
  const step = (): void => {
    const y: Tensor = conv2d(x, w, null, { padding: c.pad });
    if (withBackward) y.backward(onesLike(y));
  };
  return withBackend(backend, () => medianMs(step, backend === 'reference' ? slowTiming : {}));
}

async function tfjs(c: Case, backend: 'cpu' | 'wasm', withBackward: boolean): Promise<number> {
  await tf.setBackend(backend);
  await tf.ready();
  const x = tf.randomNormal([c.n, c.size, c.size, c.inC]) as tf.Tensor4D;
  const w = tf.randomNormal([c.k, c.k, c.inC, c.outC]) as tf.Tensor4D;
  const conv = (a: tf.Tensor4D, b: tf.Tensor4D): tf.Tensor4D => tf.conv2d(a, b, 1, c.pad);
  const gradients = tf.grads((a, b) => conv(a as tf.Tensor4D, b as tf.Tensor4D));
  const step = (): void =>
    tf.tidy(() => {
      if (!withBackward) {
        conv(x, w).dataSync();
        return;
      }
      const y = conv(x, w);
      for (const g of gradients([x, w], tf.onesLike(y))) g.dataSync();
    });
  const ms = medianMs(step, backend === 'cpu' && withBackward ? slowTiming : {});
  tf.dispose([x, w]);
  return ms;
}

async function main(): Promise<void> {
  console.log(`conv2d benchmark (float32, median ms) — ${machine()}`);
  await tf.setBackend('wasm');
  console.log(`tfjs wasm runs on ${getThreadsCount()} thread(s); dropgrad wasm on 1 and on ${cores}`);
  const wasmRows = (c: Case, withBackward: boolean, flops: number): Result[] =>
    [1, cores].map((threads) => ({
      name: `dropgrad wasm ${threadsName(threads)}`,
      ms: dropgrad(c, 'wasm', withBackward, threads),
      flops,
    }));
  for (const c of cases) {
    const flops = forwardFlops(conv2dGeometry([c.n, c.inC, c.size, c.size], [c.outC, c.inC, c.k, c.k], null, { padding: c.pad }));
    const forward: Result[] = [
      ...(quick ? [] : [{ name: 'dropgrad reference', ms: dropgrad(c, 'reference', false), flops }]),
      { name: 'dropgrad js', ms: dropgrad(c, 'js', false), flops },
      ...wasmRows(c, false, flops),
      { name: 'tfjs cpu', ms: await tfjs(c, 'cpu', false), flops },
      { name: 'tfjs wasm', ms: await tfjs(c, 'wasm', false), flops },
    ];
    printTable(`${c.name} — forward`, forward, peers);
    const both: Result[] = [
      { name: 'dropgrad js', ms: dropgrad(c, 'js', true), flops: 3 * flops },
      ...wasmRows(c, true, 3 * flops),
      ...(quick ? [] : [{ name: 'tfjs cpu', ms: await tfjs(c, 'cpu', true), flops: 3 * flops }]),
    ];
    printTable(`${c.name} — fwd+bwd (input and weight grads)`, both, quick ? ['dropgrad js'] : peers);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
