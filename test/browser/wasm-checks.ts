/**
 * The page script of test/browser-wasm.spec.ts: conv2d on the wasm backend in Chromium, against
 * the float64 reference kernels, with a given number of threads. The spec serves it twice, on a
 * page that is cross-origin isolated (shared memory: worker threads) and on one that is not (the
 * single-thread module). Results are plain data; the spec does the asserting.
 */
import {
  F,
  type Tensor,
  type WasmStatus,
  getBackend,
  manualSeed,
  randn,
  setNumThreads,
  tensor,
  wasmStatus,
  withBackend,
} from '../../browser';
import { setSplitEveryCall } from '../../kernels/wasm/thread-cost';

// The small conv must run on both threads whatever it costs (test/helpers/split-every-call.ts).
setSplitEveryCall(true);

export interface WasmConvResult {
  crossOriginIsolated: boolean;
  /** getBackend() with nothing chosen: 'wasm' where WebAssembly SIMD runs and there is no real GPU. */
  defaultBackend: string;
  /** The status once the workers asked for are ready (or after 10 s), and after the run. */
  status: WasmStatus;
  statusAfter: WasmStatus;
  /** How long the workers took to be ready (0 when none were started). */
  waitedMs: number;
  /** Kernel calls of the run that were shared with worker threads. */
  parallelCalls: number;
  /** max |wasm − reference| and the largest |reference| for each result of each case. */
  errors: Record<string, { maxAbsError: number; scale: number }>;
  /** A hash of the bits of every float32 result, to compare runs with different thread counts. */
  bitsHash: string;
}

const cases = [
  { x: [4, 6, 11, 9], w: [8, 3, 3, 2], options: { groups: 2, stride: [2, 1] as [number, number], padding: [1, 0] as [number, number] } },
  { x: [3, 5, 10, 13], w: [7, 5, 2, 4], options: { padding: 'same' as const, dilation: 2 } },
  // Big enough for the weight gradient's image sum to be split across threads, with 3 images (a sum of 2 commutes).
  { x: [3, 33, 20, 30], w: [70, 33, 3, 3], options: { padding: 1 } },
];

function parallelCalls(): number {
  const status = wasmStatus();
  return status.available ? status.parallelCalls : 0;
}

/** FNV-1a over the bytes of the float32 results. */
function hashBits(arrays: Float32Array[]): string {
  let hash = 0x811c9dc5;
  for (const array of arrays) {
    for (const byte of new Uint8Array(array.buffer, array.byteOffset, array.byteLength)) hash = Math.imul(hash ^ byte, 0x01000193);
  }
  return (hash >>> 0).toString(16);
}

/** conv2d forward, input and weight gradients on `backend`, in `dtype`, from the same float64 data. */
function convolve(backend: 'wasm' | 'reference', dtype: 'float32' | 'float64', data: Tensor[], options: object): Tensor[] {
  return withBackend(backend, () => {
    const [x, w, b, gy] = data.map((t, i) => tensor(t.toArray(), { dtype, requiresGrad: i < 3 }));
    const y = F.conv2d(x, w, b, options);
    y.backward(gy);
    return [y, x.grad as Tensor, w.grad as Tensor, b.grad as Tensor];
  });
}

/** Sets `threads`, waits for the workers they need (a page starts them asynchronously), then compares wasm with the reference. */
async function wasmConv(threads: number): Promise<WasmConvResult> {
  setNumThreads(threads);
  const started = performance.now();
  let status = wasmStatus();
  // Until every worker is ready, calls run on the calling thread alone: wait, rather than test one thread.
  while (status.available && status.workers > status.readyWorkers && performance.now() - started < 10000) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    status = wasmStatus();
  }
  const waitedMs = status.available && status.workers > 0 ? Math.round(performance.now() - started) : 0;
  const callsBefore = parallelCalls();
  const errors: WasmConvResult['errors'] = {};
  const results: Float32Array[] = [];
  cases.forEach(({ x, w, options }, index) => {
    manualSeed(index);
    const data = [randn(x), randn(w), randn([w[0]])];
    const y = withBackend('reference', () => F.conv2d(data[0], data[1], data[2], options));
    data.push(randn(y.shape));
    const wasm = convolve('wasm', 'float32', data, options);
    const reference = convolve('reference', 'float64', data, options);
    ['y', 'dx', 'dw', 'db'].forEach((what, i) => {
      const actual = wasm[i].data;
      const expected = reference[i].data;
      let maxAbsError = 0;
      let scale = 0;
      expected.forEach((v, j) => {
        maxAbsError = Math.max(maxAbsError, Math.abs(actual[j] - v));
        scale = Math.max(scale, Math.abs(v));
      });
      errors[`case ${index} ${what}`] = { maxAbsError, scale };
      results.push(Float32Array.from(actual));
    });
  });
  return {
    crossOriginIsolated: globalThis.crossOriginIsolated,
    defaultBackend: getBackend(),
    status,
    statusAfter: wasmStatus(),
    waitedMs,
    parallelCalls: parallelCalls() - callsBefore,
    errors,
    bitsHash: hashBits(results),
  };
}

(globalThis as { dropgradWasmChecks?: object }).dropgradWasmChecks = { wasmConv };
