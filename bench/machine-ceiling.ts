/**
 * What a second thread can give on this machine at most, to read the 2-thread targets against:
 * the same work run by one thread alone, then by two threads at once (each its own copy, nothing
 * shared), interleaved round by round. The throughput ratio 2 · t(1 alone) / t(2 at once) is 2.0 on
 * two free cores; less where the cores are hyperthreads of one, share a memory bus that one thread
 * already fills, or where other processes hold them.
 *   - arithmetic: a dependent float loop in registers (no memory);
 *   - streaming: sums over a 64 MiB Float32Array (memory bandwidth, as batch norm, pooling and
 *     relu are);
 *   - dropgrad's own sgemm, a 768³ float32 matmul on the wasm backend on 1 and 2 threads: the best
 *     case of a kernel split over the pool.
 *
 *   npx tsx bench/machine-ceiling.ts [--rounds N]
 */
import { Worker } from 'node:worker_threads';
import { Generator, matmul, randn, setBackend, setNumThreads } from '../index';
import { machine } from './harness';
import { median } from './median';

const loops = `
const { parentPort, workerData } = require('node:worker_threads');
function arithmetic() {
  let a = 1.0001, c = 0.5;
  for (let i = 0; i < 2e8; i++) { a = a * 0.9999 + c; c = c * 0.9999 + 0.25; if (a > 1e6) a = 1; }
  return a + c;
}
function streaming() {
  const x = new Float32Array(16 << 20).fill(1);
  let sum = 0;
  for (let r = 0; r < 10; r++) for (let i = 0; i < x.length; i++) sum += x[i];
  return sum;
}
const start = performance.now();
const sink = workerData === 'arithmetic' ? arithmetic() : streaming();
parentPort.postMessage({ ms: performance.now() - start, sink });
`;

/** Wall time of `copies` workers each running the `kind` loop, started together. */
async function loopsAtOnce(kind: 'arithmetic' | 'streaming', copies: number): Promise<number> {
  const start = performance.now();
  await Promise.all(
    Array.from(
      { length: copies },
      () =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(loops, { eval: true, workerData: kind });
          worker.once('message', () => {
            void worker.terminate();
            resolve();
          });
          worker.once('error', reject);
        }),
    ),
  );
  return performance.now() - start;
}

function sgemmMs(threads: number): number {
  setNumThreads(threads);
  const generator = new Generator(5);
  const a = randn([768, 768], { dtype: 'float32', generator });
  const b = randn([768, 768], { dtype: 'float32', generator });
  matmul(a, b); // warm-up: workers started, memory grown
  const start = performance.now();
  for (let i = 0; i < 3; i++) matmul(a, b);
  return (performance.now() - start) / 3;
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--rounds');
  const rounds = at >= 0 ? Number(process.argv[at + 1]) : 5;
  if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError(`--rounds: expected an integer ≥ 1, got ${process.argv[at + 1]}`);
  console.log(`what a second thread gives at most — ${machine()}`);
  for (const kind of ['arithmetic', 'streaming'] as const) {
    const [alone, together]: number[][] = [[], []];
    for (let round = 0; round < rounds; round++) {
      alone.push(await loopsAtOnce(kind, 1));
      together.push(await loopsAtOnce(kind, 2));
    }
    const ratio = (2 * median(alone)) / median(together);
    console.log(
      `${kind.padEnd(10)}  1 thread alone ${median(alone).toFixed(0)} ms, 2 at once ${median(together).toFixed(0)} ms: ${ratio.toFixed(2)}× the throughput of one`,
    );
  }
  setBackend('wasm');
  const [one, two]: number[][] = [[], []];
  for (let round = 0; round < rounds; round++) {
    one.push(sgemmMs(1));
    two.push(sgemmMs(2));
  }
  console.log(
    `sgemm 768³  1 thread ${median(one).toFixed(1)} ms, 2 threads ${median(two).toFixed(1)} ms: ${(median(one) / median(two)).toFixed(2)}× (medians of ${rounds} rounds)`,
  );
  console.log(`load average at the end: ${machine().split('load average ')[1]}`);
}

void main();
