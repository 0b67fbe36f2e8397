/**
 * conv2d in headless Chromium: dropgrad's 'js' and 'wasm' kernels (one thread: the page is not
 * cross-origin isolated) next to gpu.js' WebGL backend, all in the
 * browser bundle (bench/browser/conv2d-page.ts does the timing in the page), on bench/conv2d.ts'
 * shapes. On machines without a GPU, Chromium's WebGL is SwiftShader, a software renderer: these
 * numbers measure gpu.js' WebGL path, not what a GPU would do.
 *
 *   npm run bench:web
 */
import { join } from 'node:path';
import { chromiumUnavailable, launchChromium, openPage } from '../scripts/chromium';
import { serveSite } from '../scripts/web-site';
import { conv2dGeometry, forwardFlops } from '../kernels/conv2d';
import { conv2dCases } from './conv2d-cases';
import { type Result, machine, printTable } from './harness';
import type { Conv2dBenchPage, PageTimings } from './browser/conv2d-page';

const names: Record<string, string> = {
  js: 'dropgrad js (browser)',
  wasm: 'dropgrad wasm (browser)',
  'gpu.js': 'dropgrad gpu.js WebGL (browser)',
};

async function main(): Promise<void> {
  const missing = chromiumUnavailable();
  if (missing !== undefined) throw new Error(missing);
  const site = await serveSite({ root: join(__dirname, 'browser'), scripts: [join(__dirname, 'browser/conv2d-page.ts')] });
  const browser = await launchChromium();
  try {
    const { page, errors } = await openPage(browser, `${site.url}/conv2d.html`);
    await page.waitForFunction('window.dropgradBench !== undefined');
    const call = <K extends keyof Conv2dBenchPage>(name: K, arg?: number): Promise<ReturnType<Conv2dBenchPage[K]>> =>
      page.evaluate<ReturnType<Conv2dBenchPage[K]>>(`window.dropgradBench.${name}(${arg ?? ''})`);
    const { status, renderer, userAgent } = await call('setup');
    console.log(`conv2d benchmark in headless Chromium (float32, median ms) — host: ${machine()}`);
    console.log(`browser: ${userAgent}; WebGL renderer: ${renderer}; gpu.js: ${JSON.stringify(status)}`);
    if (!status.available) throw new Error(`gpu.js is unavailable in the page: ${status.reason}`);
    for (const [index, c] of conv2dCases.entries()) {
      const flops = forwardFlops(conv2dGeometry([c.n, c.inC, c.size, c.size], [c.outC, c.inC, c.k, c.k], null, { padding: c.pad }));
      const timings: PageTimings = await call('runCase', index);
      const rows = (ms: Record<string, number>, scale: number): Result[] =>
        Object.entries(ms).map(([name, value]) => ({ name: names[name], ms: value, flops: scale * flops }));
      printTable(`${c.name} — forward`, rows(timings.forward, 1), [names.js]);
      printTable(`${c.name} — fwd+bwd (input and weight grads)`, rows(timings.both, 3), [names.js]);
    }
    const after = await call('statusAfter');
    if (JSON.stringify(after) !== JSON.stringify(status)) throw new Error(`gpu.js fell back during the run: ${JSON.stringify(after)}`);
    if (errors.length > 0) throw new Error(`errors in the page: ${errors.join('; ')}`);
  } finally {
    await browser.close();
    await site.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
