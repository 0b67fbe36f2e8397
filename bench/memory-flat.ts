/**
 * Memory over a long synchronous training loop on the wasm backend: the small CNN (float32, Adam)
 * for N steps at batch sizes drawn from 1 to 128, printing the process's RSS, the wasm memory and
 * the bytes tensors hold in it every N/10 steps, and the JavaScript heap after a full garbage
 * collection (RSS also holds what V8 and malloc have not given back yet, and moves with it). With
 * operands living in the wasm memory (docs/kernels.md), all must stay flat once every batch size has
 * been seen.
 *
 *   npx tsx bench/memory-flat.ts [--steps 5000]
 */
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Generator, crossEntropy, models, optim, randn, setBackend, tensor, wasmStatus } from '../index';
import { machine } from './harness';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '5000' } } });
const steps = Number(values.steps);
if (!Number.isInteger(steps) || steps < 10) throw new RangeError(`--steps: expected an integer ≥ 10, got ${values.steps}`);

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

setBackend('wasm');
const model = models.smallCnn({ dtype: 'float32', generator: new Generator(1) });
const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
const sizes = new Generator(2);
const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1).padStart(7);

console.log(`small CNN, Adam, batch sizes 1–128, ${steps} steps — ${machine()}`);
console.log('   step   RSS MiB  wasm memory MiB  resident MiB  JS heap MiB (collected)  ms/step (last stretch)');
let start = performance.now();
for (let step = 1; step <= steps; step++) {
  const batch = sizes.integer(1, 129);
  const x = randn([batch, 1, 28, 28], { dtype: 'float32', generator: sizes });
  const y = tensor(Float32Array.from({ length: batch }, (_, i) => i % 10));
  optimizer.zeroGrad();
  const loss = crossEntropy(model.forward(x), y);
  loss.backward();
  optimizer.step();
  loss.item();
  if (step % (steps / 10) === 0) {
    const status = wasmStatus();
    if (!status.available) throw new Error(status.reason);
    const ms = (performance.now() - start) / (steps / 10);
    const rss = process.memoryUsage().rss;
    collectGarbage();
    const heap = process.memoryUsage().heapUsed;
    console.log(
      `${String(step).padStart(7)}  ${mib(rss)}  ${mib(status.memoryBytes).padStart(15)}  ${mib(status.residentBytes).padStart(12)}  ${mib(heap).padStart(23)}  ${ms.toFixed(1).padStart(7)}`,
    );
    start = performance.now();
  }
}
