/**
 * The relaxed-SIMD wasm module (sgemm's multiply-adds fused) against the plain one: matmul and the
 * conv2d benchmark's forward shapes, on one thread and on every core. Needs an engine with relaxed
 * SIMD (Node 22+). The modules take turns round by round in this one process (each turn starts its
 * module afresh and warms it up), so a change in the machine's load hits both alike.
 *
 *   npx tsx bench/wasm-simd.ts          (about two minutes)
 */
import { type Tensor, matmul, randn, releaseMemory, type WasmSimd, wasmStatus, withBackend } from '../index';
import { getNumThreads, setNumThreads } from '../kernels/wasm/thread-count';
import { conv2d } from '../lib/ops/conv2d';
import { conv2dCases } from './conv2d-cases';
import { machine, median, medianMs, printColumns } from './harness';

interface Case {
  name: string;
  run: () => void;
}

const leaf = (shape: number[]): Tensor => randn(shape, { dtype: 'float32' });
const cases: Case[] = [
  ...[256, 512].map((size): Case => {
    const [a, b] = [leaf([size, size]), leaf([size, size])];
    return { name: `matmul ${size}×${size}·${size}×${size}`, run: () => void matmul(a, b) };
  }),
  ...conv2dCases.map((c): Case => {
    const [x, w] = [leaf([c.n, c.inC, c.size, c.size]), leaf([c.outC, c.inC, c.k, c.k])];
    return { name: `conv2d forward ${c.name}`, run: () => void conv2d(x, w, null, { padding: c.pad }) };
  }),
];

/** Starts `simd`'s module afresh (releaseMemory() drops the running one). */
function use(simd: WasmSimd): void {
  process.env.DROPGRAD_WASM_SIMD = simd === 'plain' ? 'plain' : 'auto';
  releaseMemory();
  const status = wasmStatus();
  if (!status.available || status.simd !== simd) throw new Error(`cannot run the ${simd} module here: ${JSON.stringify(status)}`);
}

const rounds = 9;
const cores = getNumThreads();
console.log(machine());
for (const threads of [...new Set([1, cores])]) {
  setNumThreads(threads);
  const rows = cases.map(({ name, run }) => {
    const times: Record<WasmSimd, number[]> = { plain: [], relaxed: [] };
    for (let round = 0; round < rounds; round++) {
      for (const simd of ['plain', 'relaxed'] as const) {
        use(simd);
        times[simd].push(withBackend('wasm', () => medianMs(run, { warmup: 3, runs: 3 })));
      }
    }
    const [plain, relaxed] = [median(times.plain), median(times.relaxed)];
    return [name, plain.toFixed(2), relaxed.toFixed(2), `${(plain / relaxed).toFixed(2)}×`];
  });
  console.log(`\nwasm, ${threads} thread${threads === 1 ? '' : 's'}: median ms of ${rounds} rounds (each the median of 3 calls)`);
  printColumns(['case', 'plain ms', 'relaxed ms', 'plain/relaxed'], rows);
}
