/**
 * Measures the constants of kernels/wasm/thread-cost.ts: what sharing a wasm kernel call with a
 * worker thread costs (a call with nothing to compute, on 2 threads against 1, with the worker
 * still spinning from the call before and with it asleep), and, per kernel family, what one thread
 * spends per unit of work on the part a second thread can take over. Then it checks the model:
 * for each kernel on the small CNN's shapes at batch 1…256, the time on 1 and on 2 threads (every
 * call split, whatever its size), and which one the model picks with the workers spinning. Last,
 * the gaps between the kernel calls of a training step and of an inference, which the workers'
 * spin should span.
 *
 *   npx tsx bench/thread-crossover.ts
 *
 * Calls are timed one by one, 1 and 2 threads interleaved, and the 10th percentile of each kept:
 * the cost with both cores free, which other processes on a shared machine only add to (a
 * descheduled worker makes a 2-thread call wait for its time slice). On 2 threads a call costs
 * t₂ = serial + overhead + shared / 2 (for evenly split items), on 1 thread t₁ = serial + shared:
 * so the shared part per unit is 2 · (t₁ − t₂ + overhead) / units. It includes the worker reading
 * its share of the operands from the caller's cache, which grows with the call.
 */
import { Generator, crossEntropy, models, noGrad, optim, randn, tensor, withBackend } from '../index';
import { conv2dGeometry } from '../kernels/conv2d/geometry';
import { wasmConv2d } from '../kernels/conv2d/wasm';
import type { ChannelLayout } from '../kernels/batchnorm';
import { wasmBatchNorm } from '../kernels/batchnorm/wasm';
import { wasmGemm } from '../kernels/gemm/wasm';
import { wasmAdam } from '../kernels/adam/wasm';
import { wasmRelu } from '../kernels/relu/wasm';
import { type AvgPool2dGeometry, type MaxPool2dGeometry, avgPoolWindows } from '../kernels/pool2d';
import { wasmPool2d } from '../kernels/pool2d/wasm';
import { callFrame } from '../kernels/wasm/call-frame';
import { wasmInstance } from '../kernels/wasm/instance';
import {
  type KernelFamily,
  forkJoinNs,
  gemmUnits,
  nsPerUnit,
  setSplitEveryCall,
  spinMs,
  worthwhileThreads,
} from '../kernels/wasm/thread-cost';
import { setNumThreads } from '../kernels/wasm/thread-count';
import { runKernel, splitFor, threadPoolState } from '../kernels/wasm/thread-pool';
import { machine, median, printColumns } from './harness';

interface Case {
  family: KernelFamily;
  kernel: string;
  batch: number;
  /** Pieces the call splits into, and its units of work (thread-cost.ts). */
  items: number;
  units: number;
  call: () => void;
}

const rng = new Generator(3);
const adamFactors = {
  ...{ beta1: 0.9, oneMinusBeta1: 0.1, beta2: 0.999, oneMinusBeta2: 0.001, stepSize: 1e-3 },
  ...{ sqrtCorrection2: 0.5, decay: 1, l2: 0, eps: 1e-8 },
};
const random = (size: number, offset = 0): Float32Array => Float32Array.from({ length: size }, () => offset + rng.normal());

/** The small CNN's kernel calls at batch `n`: conv2 (16→32 ch, 14×14), the pools, batch norm and relu after conv1 (16 ch, 28×28), fc1, and an Adam step over 3136·n weights (64: the model's 207k). */
function cases(n: number): Case[] {
  const conv = conv2dGeometry([n, 16, 14, 14], [32, 16, 3, 3], null, { padding: 1 });
  const macs = n * 32 * 14 * 14 * 16 * 9;
  const [x, w, y, dy] = [random(n * 16 * 196), random(32 * 16 * 9), new Float32Array(n * 32 * 196), random(n * 32 * 196)];
  const dx = new Float32Array(x.length);
  const planes = n * 16;
  const max: MaxPool2dGeometry = { planes, inH: 28, inW: 28, outH: 14, outW: 14, kH: 2, kW: 2, sH: 2, sW: 2, pH: 0, pW: 0, dH: 1, dW: 1 };
  const windows = avgPoolWindows(28, 14, 2, 2, 0, true);
  const avg: AvgPool2dGeometry = { planes, inH: 28, inW: 28, rows: windows, cols: windows };
  const map = random(planes * 784, 1);
  const pooled = new Float32Array(planes * 196);
  const argmax = new Int32Array(pooled.length);
  const mapGradient = new Float32Array(map.length);
  const layout: ChannelLayout = { batch: n, channels: 16, spatial: 784 };
  const vector = () => Float64Array.from({ length: 16 }, () => 0.5 + Math.random());
  const [mean, variance, scale, shift] = [vector(), vector(), vector(), vector()];
  const normalized = new Float32Array(map.length);
  const [a, b, c] = [random(n * 1568), random(1568 * 128), new Float32Array(n * 128)];
  const adamSlot = { param: random(3136 * n), grad: random(3136 * n), expAvg: random(3136 * n), expAvgSq: random(3136 * n, 2) };
  const wasm = wasmInstance();
  const reduce = () => {
    const frame = callFrame(wasm);
    const count = 32 * 16 * 9;
    const args = frame.args('reduceImages', { count, images: n, partials: frame.reserve(n * count * 4), out: frame.reserve(count * 4) });
    runKernel(wasm, 'reduceImages', args, splitFor(wasm, 'reduceImages', count / 4, n * count));
  };
  return [
    { family: 'conv2d', kernel: 'conv2dForward', batch: n, items: n, units: macs, call: () => wasmConv2d.forward(x, w, null, conv, y) },
    {
      family: 'conv2d',
      kernel: 'conv2dBackwardInput',
      batch: n,
      items: n,
      units: macs,
      call: () => wasmConv2d.backwardInput(dy, w, conv, dx),
    },
    {
      family: 'gemm',
      kernel: 'gemm (fc1)',
      batch: n,
      items: 16,
      units: gemmUnits(n, 128, 1568),
      call: () => wasmGemm({ m: n, n: 128, k: 1568, a, b, c }),
    },
    {
      family: 'maxPool2d',
      kernel: 'maxPool2dForward',
      batch: n,
      items: planes,
      units: map.length,
      call: () => wasmPool2d.maxPool2dForward(map, max, pooled, argmax),
    },
    {
      family: 'maxPool2d',
      kernel: 'maxPool2dBackward',
      batch: n,
      items: planes,
      units: map.length,
      call: () => wasmPool2d.maxPool2dBackward(pooled, argmax, max, mapGradient),
    },
    {
      family: 'avgPool2d',
      kernel: 'avgPool2dForward',
      batch: n,
      items: planes,
      units: map.length,
      call: () => wasmPool2d.avgPool2dForward(map, avg, pooled),
    },
    {
      family: 'batchNorm',
      kernel: 'batchNormMoments',
      batch: n,
      items: 16,
      units: map.length,
      call: () => wasmBatchNorm.channelMoments(map, layout, mean, variance),
    },
    {
      family: 'batchNorm',
      kernel: 'batchNormNormalize',
      batch: n,
      items: 16,
      units: map.length,
      call: () => wasmBatchNorm.normalize(map, layout, mean, scale, shift, normalized),
    },
    { family: 'reduceImages', kernel: 'reduceImages', batch: n, items: (32 * 16 * 9) / 4, units: n * 32 * 16 * 9, call: reduce },
    {
      family: 'adam',
      kernel: 'adamStep (3136 × batch weights)',
      batch: n,
      items: (3136 * n) / 4,
      units: 3136 * n,
      call: () => wasmAdam.step([adamSlot], adamFactors),
    },
    // relu's pieces are runs of 16 values (kernels/relu/wasm.ts).
    {
      family: 'relu',
      kernel: 'reluForward',
      batch: n,
      items: map.length / 16,
      units: map.length,
      call: () => wasmRelu.forward(map, normalized),
    },
    {
      family: 'relu',
      kernel: 'reluBackward',
      batch: n,
      items: map.length / 16,
      units: map.length,
      call: () => wasmRelu.backward(map, normalized, mapGradient),
    },
  ];
}

/** The 10th percentile of `times`. */
function low(times: number[]): number {
  return [...times].sort((a, b) => a - b)[Math.floor((times.length - 1) / 10)];
}

/** Low ms (see the file comment) of `call` on 1 and on 2 threads, timed call by call in interleaved rounds; `pause` runs untimed before each call. */
function oneAndTwo(call: () => void, rounds: number, pause = () => {}): [number, number] {
  const times: [number[], number[]] = [[], []];
  for (let round = 0; round < rounds; round++) {
    for (const threads of round % 2 ? [2, 1] : [1, 2]) {
      setNumThreads(threads);
      call(); // the first call on the new count: untimed
      for (let i = 0; i < 3; i++) {
        pause();
        const start = performance.now();
        call();
        times[threads - 1].push(performance.now() - start);
      }
    }
  }
  return [low(times[0]), low(times[1])];
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Percentiles of the time between one wasm kernel call's end and the next one's start in the small
 * CNN's training step (batch 64) and inference (batch 1): what the workers' spin must span to find
 * the next call awake. Each conv2d, pool2d and batch-norm kernel is wrapped with a timer (the gemm
 * of the linear layers, 2 of ~25 calls a step, is not).
 */
function callGaps(): string {
  const gaps: number[] = [];
  let lastEnd = Number.NaN;
  for (const kernels of [wasmConv2d, wasmPool2d, wasmBatchNorm] as unknown as Array<Record<string, (...args: unknown[]) => void>>) {
    for (const [name, kernel] of Object.entries(kernels)) {
      kernels[name] = (...args) => {
        gaps.push(performance.now() - lastEnd);
        kernel(...args);
        lastEnd = performance.now();
      };
    }
  }
  return [
    [64, true],
    [1, false],
  ]
    .map(([batch, training]) => {
      const model = models.smallCnn({ dtype: 'float32', generator: new Generator(11), numClasses: 10 });
      const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
      const x = randn([batch as number, 1, 28, 28], { dtype: 'float32' });
      const y = tensor(Float32Array.from({ length: batch as number }, (_, i) => i % 10));
      if (!training) model.eval();
      const run = () => {
        if (!training) return noGrad(() => model.forward(x).data);
        optimizer.zeroGrad();
        const loss = crossEntropy(model.forward(x), y);
        loss.backward();
        optimizer.step();
        return loss.item();
      };
      withBackend('wasm', () => {
        for (let i = 0; i < 3; i++) run();
        gaps.length = 0;
        for (let i = 0; i < 20; i++) {
          lastEnd = Number.NaN; // the gap between runs is the loop's, not a step's
          run();
        }
      });
      const sorted = gaps.filter((gap) => !Number.isNaN(gap)).sort((a, b) => a - b);
      const at = (p: number) => `${(sorted[Math.floor(p * (sorted.length - 1))] * 1e3).toFixed(0)}`;
      const within = (sorted.filter((gap) => gap < spinMs).length / sorted.length) * 100;
      return `${training ? 'training' : 'inference'} at batch ${batch}: p25 ${at(0.25)} µs, median ${at(0.5)} µs, p75 ${at(0.75)} µs, ${within.toFixed(0)}% under spinMs`;
    })
    .join('; ');
}

setSplitEveryCall(true);
setNumThreads(2);
const warm = cases(2);
for (const c of warm) c.call();
while (threadPoolState().readyWorkers < 1) Atomics.wait(sleeper, 0, 0, 20);

console.log(`wasm kernels on 1 and 2 threads, every call split — ${machine()}`);
const tiny: MaxPool2dGeometry = { planes: 2, inH: 2, inW: 2, outH: 1, outW: 1, kH: 2, kW: 2, sH: 2, sW: 2, pH: 0, pW: 0, dH: 1, dW: 1 };
const [tinyX, tinyOut, tinyArgmax] = [random(8), new Float32Array(2), new Int32Array(2)];
/** A call with nothing to compute, in two pieces. */
const nothing = () => wasmPool2d.maxPool2dForward(tinyX, tiny, tinyOut, tinyArgmax);
const idle = (ms: number) => () => Atomics.wait(sleeper, 0, 0, ms);
const [hot1, hot2] = oneAndTwo(nothing, 101);
const [cold1, cold2] = oneAndTwo(nothing, 41, idle(4 * spinMs + 1));
const overhead = { hot: (hot2 - hot1) * 1e6, cold: (cold2 - cold1) * 1e6 };
console.log(
  `a call with nothing to compute: 1 thread ${(hot1 * 1e3).toFixed(1)} µs, 2 threads ${(hot2 * 1e3).toFixed(1)} µs with the worker spinning, ` +
    `${(cold2 * 1e3).toFixed(1)} µs (1 thread ${(cold1 * 1e3).toFixed(1)} µs) with it asleep: overhead ${(overhead.hot / 1e3).toFixed(1)} µs hot, ${(overhead.cold / 1e3).toFixed(1)} µs cold`,
);
const afterIdle = [0.05, 0.1, 0.15, 0.3, 1].map((ms) => {
  const [one, two] = oneAndTwo(nothing, 41, idle(ms));
  return `${ms} ms idle: ${((two - one) * 1e3).toFixed(0)} µs`;
});
console.log(`the same overhead after the pool idled (spinMs = ${spinMs}): ${afterIdle.join(', ')}`);

const rows: string[][] = [];
const estimates = new Map<KernelFamily, number[]>();
for (const batch of [1, 4, 16, 64, 256]) {
  for (const c of cases(batch)) {
    const [t1, t2] = oneAndTwo(c.call, batch >= 64 ? 5 : 15);
    const sharedFraction = 1 - Math.ceil(c.items / 2) / c.items;
    const perUnit = ((t1 - t2 + overhead.hot / 1e6) * 1e6) / (c.units * sharedFraction);
    // Only calls long enough against the overhead say much about the per-unit cost.
    if (t1 * 1e6 > 4 * overhead.hot && sharedFraction > 0) estimates.set(c.family, [...(estimates.get(c.family) ?? []), perUnit]);
    setSplitEveryCall(false);
    const picked = worthwhileThreads(c.family, c.items, c.units, 2, true);
    setSplitEveryCall(true);
    rows.push([
      c.kernel,
      String(batch),
      (t1 * 1e3).toFixed(1),
      (t2 * 1e3).toFixed(1),
      (t1 / t2).toFixed(2),
      sharedFraction > 0 ? perUnit.toFixed(3) : '',
      t2 < t1 ? '2' : '1',
      String(picked),
    ]);
  }
}
printColumns(['kernel', 'batch', '1 thread µs', '2 threads µs', '1 ÷ 2', 'shared ns/unit', 'faster', 'model picks'], rows);

const fitted = Object.fromEntries([...estimates].map(([family, values]) => [family, Number(median(values).toPrecision(2))]));
console.log('\nfor kernels/wasm/thread-cost.ts:');
console.log(`export const forkJoinNs = { hot: ${Math.round(overhead.hot)}, cold: ${Math.round(overhead.cold)} } as const;`);
console.log(`export const nsPerUnit = ${JSON.stringify(fitted)};`);
console.log(`(in use now: forkJoinNs ${JSON.stringify(forkJoinNs)}, nsPerUnit ${JSON.stringify(nsPerUnit)})`);
for (const [family, ns] of Object.entries(fitted)) {
  // A second thread that saved nothing (its core busy with other processes) leaves no crossover to compute.
  if (ns <= 0) console.log(`${family}: no gain measured from a second thread — its core was busy; keep the constants in use`);
  else
    console.log(
      `${family}: one thread wins below ${Math.round((2 * overhead.hot) / ns)} units (hot), ${Math.round((2 * overhead.cold) / ns)} (cold)`,
    );
}
setSplitEveryCall(false);
console.log(`\nthe gaps between the wasm kernel calls of the small CNN (2 threads): ${callGaps()}`);
console.log(`load average at the end: ${machine()}`);
process.exit(0);
