/**
 * The inference path (nn/inference) A/B, interleaved in one process:
 *
 *   npx tsx bench/inference.ts [--rounds N]
 *
 * models.smallCnn({ dtype: 'float32' }) in eval mode under noGrad on 1×28×28 images, batch 1 and
 * 64, on wasm with 1 and 2 threads and on js. "before" runs the modules one by one (the plain
 * forward: conv, batch norm, relu, pool each an op of its own), "after" the Sequential's forward
 * (batch norm folded into the conv, relu fused in its epilogue, the conv output recycled). Each
 * round times a few calls of each in turn, so a change in the shared machine's load falls on both;
 * the table gives the median ms per forward and before/after (above 1: the inference path is faster).
 */
import { parseArgs } from 'node:util';
import { Generator, type Tensor, models, noGrad, randn, setBackend, setNumThreads } from '../index';
import { interleavedMediansMs, machine, printColumns } from './harness';

const { values } = parseArgs({ options: { rounds: { type: 'string' } } });
const rounds = Number(values.rounds ?? 15);
if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError(`--rounds: expected an integer ≥ 1, got ${values.rounds}`);

const model = models.smallCnn({ dtype: 'float32', generator: new Generator(1) }).eval();
const plainForward = (x: Tensor): Tensor => model.children().reduce((y, m) => m.forward(y), x);

const rows: string[][] = [];
console.log(machine());
for (const batch of [1, 64]) {
  const x = randn([batch, 1, 28, 28], { dtype: 'float32', generator: new Generator(2) });
  // About the same wall time per round for both batches.
  const calls = batch === 1 ? 40 : 2;
  const repeat = (forward: (x: Tensor) => Tensor) => () => {
    for (let i = 0; i < calls; i++) noGrad(() => forward(x));
  };
  for (const [backend, threads] of [
    ['wasm', 1],
    ['wasm', 2],
    ['js', 1],
  ] as const) {
    setBackend(backend);
    setNumThreads(threads);
    const [before, after] = interleavedMediansMs([repeat(plainForward), repeat((input) => model.forward(input))], {
      warmup: 2,
      runs: rounds,
    }).map((ms) => ms / calls);
    rows.push([
      `${batch}`,
      backend === 'wasm' ? `wasm, ${threads} thread${threads > 1 ? 's' : ''}` : 'js',
      before.toFixed(3),
      after.toFixed(3),
      (before / after).toFixed(2),
    ]);
  }
}
printColumns(['batch', 'backend', 'before ms', 'after ms', 'before/after'], rows);
console.log(machine());
