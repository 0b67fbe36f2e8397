/**
 * Same-run before/after of a change: one small-CNN training step (batch 64, float32, Adam, the wasm
 * kernels) timed in one process for several checkouts of this repository, interleaved round by round
 * (the order reversed every other round), so that a shared, noisy machine slows them all alike. The
 * first checkout is the baseline of the printed ratios. Each checkout needs its node_modules.
 *
 *   git worktree add --detach /tmp/before <commit> && ln -s "$PWD/node_modules" /tmp/before/
 *   npx tsx bench/checkouts.ts --rounds 11 /tmp/before .
 *
 * With --optimizer-only, only `optimizer.step()` is timed (20 per round, on the gradients of one
 * backward): Adam's update is a few ms of a ~100 ms step, below what a shared machine's noise lets
 * the whole step show.
 */
import { resolve } from 'node:path';
import { median } from './median';

type Library = typeof import('../index');

function trainingStep(lib: Library, threads: number, optimizerOnly: boolean): (steps: number) => number {
  const generator = new lib.Generator(11);
  const model = lib.models.smallCnn({ dtype: 'float32', generator: new lib.Generator(11), numClasses: 10 });
  const optimizer = new lib.optim.Adam(model.parameters(), { lr: 1e-3 });
  const x = lib.randn([64, 1, 28, 28], { dtype: 'float32', generator });
  const y = lib.tensor(Float32Array.from({ length: 64 }, (_, i) => i % 10));
  if (optimizerOnly) {
    lib.setBackend('wasm');
    lib.crossEntropy(model.forward(x), y).backward();
  }
  return (steps) => {
    lib.setBackend('wasm');
    lib.setNumThreads(threads);
    const start = performance.now();
    if (optimizerOnly) {
      for (let i = 0; i < steps; i++) optimizer.step();
      return (performance.now() - start) / steps;
    }
    for (let i = 0; i < steps; i++) {
      optimizer.zeroGrad();
      const loss = lib.crossEntropy(model.forward(x), y);
      loss.backward();
      optimizer.step();
      loss.item();
    }
    return (performance.now() - start) / steps;
  };
}

const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args.splice(roundsAt, 2)[1]) : 11;
const optimizerOnlyAt = args.indexOf('--optimizer-only');
const optimizerOnly = optimizerOnlyAt >= 0;
if (optimizerOnly) args.splice(optimizerOnlyAt, 1);
const [what, perRound] = optimizerOnly ? ['optimizer.step()', 20] : ['training step', 3];
if (!(Number.isInteger(rounds) && rounds > 0) || args.length < 2)
  throw new Error(
    `usage: tsx bench/checkouts.ts [--rounds N ≥ 1] [--optimizer-only] BASELINE_DIR OTHER_DIR…; got ${JSON.stringify(process.argv.slice(2))}`,
  );
const checkouts = args.map((dir) => resolve(dir));
const libraries = checkouts.map((dir) => require(`${dir}/index`) as Library);
for (const threads of [1, 2]) {
  const steps = libraries.map((lib) => trainingStep(lib, threads, optimizerOnly));
  for (const step of steps) step(2); // warm-up: the first calls compile and start the workers
  const times = checkouts.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    const order = steps.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) times[i].push(steps[i](perRound));
  }
  const baseline = median(times[0]);
  for (const [i, dir] of checkouts.entries())
    console.log(
      `wasm, ${threads} thread(s), ${dir}: ${what} median ${median(times[i]).toFixed(optimizerOnly ? 2 : 1)} ms over ${rounds} rounds, ${(median(times[i]) / baseline).toFixed(3)}× the first`,
    );
}
process.exit(0);
