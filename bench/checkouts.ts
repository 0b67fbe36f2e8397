/**
 * Same-run before/after of a change: small-CNN workloads (float32, the wasm kernels) — an Adam
 * training step at batch 64 and 256, and inference (eval mode, noGrad) at batch 1 and 64 — timed in
 * one process for several checkouts of this repository, on 1 and 2 threads, interleaved round by
 * round (the order reversed every other round), so that a shared, noisy machine slows them all
 * alike. The first checkout is the baseline of the printed ratios; each checkout's 2-thread time is
 * also given against its own 1-thread time. Each checkout needs its node_modules. One checkout
 * alone gives its 2-thread ratios free of the other's threads and of the order of loading (a
 * library loaded second has run up to 10% slower than the same code loaded first).
 *
 *   git worktree add --detach /tmp/before <commit> && ln -s "$PWD/node_modules" /tmp/before/
 *   npx tsx bench/checkouts.ts --rounds 11 /tmp/before .
 *
 * With --optimizer-only, only `optimizer.step()` is timed (on the gradients of one batch-64
 * backward): Adam's update is a few ms of a ~100 ms step, below what a shared machine's noise lets
 * the whole step show. With --resnet, a ResNet-20 training step (models.resnet, layers [3, 3, 3],
 * 3×32×32 images, batch 32) is timed instead, after ten untimed steps (a ResNet whose activations
 * wait for the garbage collector fills the wasm memory over the first few steps, then copies).
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { median } from './median';

type Library = typeof import('../index');

interface Workload {
  name: string;
  batch: number;
  kind: 'training' | 'inference' | 'optimizer';
  /** The small CNN on 1×28×28 images (default), or ResNet-20 on 3×32×32. */
  model?: 'resnet20';
}

/** A timer of `repeats` runs of the workload on `threads` threads: ms per run. */
function workload(lib: Library, { batch, kind, model: name }: Workload, threads: number): (repeats: number) => number {
  const generator = new lib.Generator(11);
  const model =
    name === 'resnet20'
      ? lib.models.resnet({ layers: [3, 3, 3], widths: [16, 32, 64], inChannels: 3, dtype: 'float32', generator: new lib.Generator(11) })
      : lib.models.smallCnn({ dtype: 'float32', generator: new lib.Generator(11), numClasses: 10 });
  const optimizer = new lib.optim.Adam(model.parameters(), { lr: 1e-3 });
  const x = lib.randn(name === 'resnet20' ? [batch, 3, 32, 32] : [batch, 1, 28, 28], { dtype: 'float32', generator });
  const y = lib.tensor(Float32Array.from({ length: batch }, (_, i) => i % 10));
  if (kind === 'inference') model.eval();
  if (kind === 'optimizer') lib.withBackend('wasm', () => lib.crossEntropy(model.forward(x), y).backward());
  const step = () => {
    optimizer.zeroGrad();
    const loss = lib.crossEntropy(model.forward(x), y);
    loss.backward();
    optimizer.step();
    loss.item();
  };
  const run = { training: step, inference: () => lib.noGrad(() => model.forward(x).data), optimizer: () => optimizer.step() }[kind];
  return (repeats) => {
    lib.setBackend('wasm');
    lib.setNumThreads(threads);
    const start = performance.now();
    for (let i = 0; i < repeats; i++) run();
    return (performance.now() - start) / repeats;
  };
}

/** Runs per timing so that one timing takes about `targetMs` (at least one run). */
function repeatsFor(timer: (repeats: number) => number, targetMs: number): number {
  return Math.max(1, Math.round(targetMs / timer(3)));
}

const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args.splice(roundsAt, 2)[1]) : 11;
if (!(Number.isInteger(rounds) && rounds > 0) || args.length < 1)
  throw new Error(
    `usage: tsx bench/checkouts.ts [--rounds N ≥ 1] [--optimizer-only | --resnet] BASELINE_DIR [OTHER_DIR…]; got ${JSON.stringify(process.argv.slice(2))}`,
  );
const optimizerOnlyAt = args.indexOf('--optimizer-only');
if (optimizerOnlyAt >= 0) args.splice(optimizerOnlyAt, 1);
const resnetAt = args.indexOf('--resnet');
if (resnetAt >= 0) args.splice(resnetAt, 1);
const workloads: readonly Workload[] =
  optimizerOnlyAt >= 0
    ? [{ name: 'optimizer.step(), batch-64 gradients', batch: 64, kind: 'optimizer' }]
    : resnetAt >= 0
      ? [{ name: 'ResNet-20 training step, batch 32', batch: 32, kind: 'training', model: 'resnet20' }]
      : [
          { name: 'training step, batch 64', batch: 64, kind: 'training' },
          { name: 'training step, batch 256', batch: 256, kind: 'training' },
          { name: 'inference, batch 1', batch: 1, kind: 'inference' },
          { name: 'inference, batch 64', batch: 64, kind: 'inference' },
        ];
const checkouts = args.map((dir) => resolve(dir));
const libraries = checkouts.map((dir) => require(`${dir}/index`) as Library);
console.log(
  `load average at the start: ${loadavg()
    .map((load) => load.toFixed(2))
    .join(', ')}`,
);
for (const work of workloads) {
  // Every checkout on 1 and on 2 threads, all interleaved: the thread ratios are same-run too.
  const runs = checkouts.flatMap((dir, i) => [1, 2].map((threads) => ({ dir, threads, timer: workload(libraries[i], work, threads) })));
  // Warm-up: the first calls compile and start the workers (and a ResNet settles its memory).
  for (const { timer } of runs) timer(work.model === 'resnet20' ? 10 : 2);
  const repeats = repeatsFor(runs[0].timer, 150);
  const times = runs.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    const order = runs.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) times[i].push(runs[i].timer(repeats));
  }
  const ms = times.map(median);
  for (const [i, { dir, threads }] of runs.entries()) {
    const againstFirst = ms[i] / ms[i % 2];
    const threadRatio = threads === 2 ? `, 1 thread ÷ 2 threads ${(ms[i - 1] / ms[i]).toFixed(3)}×` : '';
    console.log(
      `${work.name}, ${threads} thread(s), ${dir}: median ${ms[i].toFixed(3)} ms over ${rounds} rounds of ${repeats}, ${againstFirst.toFixed(3)}× the first${threadRatio}`,
    );
  }
}
console.log(
  `load average at the end: ${loadavg()
    .map((load) => load.toFixed(2))
    .join(', ')}`,
);
process.exit(0);
