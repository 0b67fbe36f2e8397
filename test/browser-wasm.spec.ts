/**
 * The wasm backend in headless Chromium (test/browser/wasm-checks.ts runs in the page), on a page
 * that is not cross-origin isolated — no SharedArrayBuffer, so the single-thread module, and
 * setNumThreads(2) falls back to one thread — and on one that is (served with COOP/COEP), where
 * two threads must really run on a Web Worker (the relaxed-SIMD module there). conv2d forward and
 * both gradients against the float64 reference in the page, and bitwise the same with one thread and with two.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import type { WasmConvResult } from './browser/wasm-checks';
import { useChromiumPage } from './helpers/chromium-page';

/** float32 accuracy relative to each result's magnitude, as in the Node parity specs. */
function expectCloseToReference(result: WasmConvResult): void {
  for (const [what, { maxAbsError, scale }] of Object.entries(result.errors)) {
    expect(maxAbsError, `${what}: max |wasm − reference| (scale ${scale})`).to.be.at.most(1e-4 * Math.max(1, scale));
  }
}

for (const crossOriginIsolated of [false, true]) {
  describe(`in headless Chromium, the wasm backend on a page ${crossOriginIsolated ? 'that is' : 'that is not'} cross-origin isolated`, function () {
    this.timeout(120000);
    const chromium = useChromiumPage(
      { root: join(__dirname, 'browser'), scripts: [join(__dirname, 'browser/wasm-checks.ts')], crossOriginIsolated },
      '/wasm-checks.html',
      (page) => page.waitForFunction('window.dropgradWasmChecks !== undefined'),
    );
    const wasmConv = (threads: number): Promise<WasmConvResult> =>
      chromium.page.evaluate<WasmConvResult>(`window.dropgradWasmChecks.wasmConv(${threads})`);
    let oneThread: WasmConvResult;

    it('is the default backend, and its conv2d matches the reference on one thread', async () => {
      oneThread = await wasmConv(1);
      expect(oneThread.crossOriginIsolated).to.equal(crossOriginIsolated);
      expect(oneThread.defaultBackend).to.equal('wasm');
      // Chromium has relaxed SIMD (since 114): the threaded module is its relaxed build; a page without isolation runs the plain single-thread one.
      expect(oneThread.status).to.include({
        available: true,
        sharedMemory: crossOriginIsolated,
        threads: 1,
        simd: crossOriginIsolated ? 'relaxed' : 'plain',
      });
      expect(oneThread.parallelCalls).to.equal(0);
      expectCloseToReference(oneThread);
    });

    if (crossOriginIsolated) {
      it('runs two threads (a Web Worker shares the calls once it is ready), bitwise the same as one', async () => {
        const result = await wasmConv(2);
        console.log(`      worker ready after ${result.waitedMs} ms; ${result.parallelCalls} kernel calls shared with it`);
        expect(result.status).to.deep.include({ available: true, sharedMemory: true, threads: 2, workers: 1, readyWorkers: 1 });
        expect(result.status).not.to.have.property('singleThreadReason');
        expect(result.parallelCalls, 'kernel calls shared with the worker').to.be.greaterThan(0);
        expectCloseToReference(result);
        expect(result.bitsHash, 'the results bits with 2 threads and with 1').to.equal(oneThread.bitsHash);
      });
    } else {
      it('falls back to one thread when two are asked for, and says why', async () => {
        const result = await wasmConv(2);
        expect(result.status).to.deep.include({
          available: true,
          sharedMemory: false,
          threads: 2,
          workers: 0,
          singleThreadReason: 'memory cannot be shared here (a page must be cross-origin isolated)',
        });
        expect(result.parallelCalls).to.equal(0);
        expectCloseToReference(result);
        expect(result.bitsHash).to.equal(oneThread.bitsHash);
      });
    }
  });
}
