/**
 * dropgrad in a real browser: the browser bundle, served from 127.0.0.1, loaded by headless
 * Chromium (test/browser/model-checks.ts runs in the page). WebGL there is Chromium's software
 * renderer — these machines have no GPU — which is still the real WebGL code path of gpu.js.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import type { ModelChecks } from './browser/model-checks';
import { useChromiumPage } from './helpers/chromium-page';
import { installedGpuJs } from './helpers/gpujs';

describe('in headless Chromium, the browser bundle', function () {
  this.timeout(120000);
  const chromium = useChromiumPage(
    { root: join(__dirname, 'browser'), scripts: [join(__dirname, 'browser/model-checks.ts')] },
    '/model-checks.html',
    (page) => page.waitForFunction('window.dropgradChecks !== undefined'),
  );

  /** Calls one of the page's checks; its result comes back as JSON. */
  function call<K extends keyof ModelChecks>(name: K, ...args: Parameters<ModelChecks[K]>): Promise<ReturnType<ModelChecks[K]>> {
    // A string, not a function: tsx would wrap a function's inner declarations in helpers the page lacks.
    return chromium.page.evaluate<ReturnType<ModelChecks[K]>>(`window.dropgradChecks.${name}(...${JSON.stringify(args)})`);
  }

  it('gradient-checks conv → batch norm → DropBlock in float64 on the reference kernels', async () => {
    const result = await call('checkModelGradient');
    expect(result.passed, result.message).to.equal(true);
    expect(result.dropped, 'DropBlock dropped nothing, so its mask went unchecked').to.be.greaterThan(0);
  });

  it("runs conv2d forward and backward on gpu.js' WebGL backend, matching the reference", async function () {
    installedGpuJs(this);
    const result = await call('checkGpuJsConv');
    console.log(`      gpu.js status in Chromium: ${JSON.stringify(result.status)}`);
    expect(result.status).to.have.property('available', true);
    expect(['webgl', 'webgl2']).to.include((result.status as { mode: string }).mode);
    expect(result.statusAfter, 'gpu.js fell back to js during the run').to.deep.equal(result.status);
    // This Chromium's WebGL is SwiftShader (software): gpu.js runs, but must not be the default.
    console.log(`      WebGL renderer: ${result.renderer}; counted as a real GPU: ${result.realGpu}`);
    if (/SwiftShader|llvmpipe/i.test(result.renderer ?? '')) expect(result.realGpu).to.equal(false);
    for (const [what, { maxAbsError, scale }] of Object.entries(result.errors)) {
      // float32 accuracy relative to the result's magnitude, as in the Node parity specs.
      expect(maxAbsError, `${what}: max |gpu.js − reference| (scale ${scale})`).to.be.at.most(2e-4 * Math.max(1, scale));
    }
  });

  it("names the layer's class in its error messages: the minified bundle keeps class names", async () => {
    expect(await call('layerErrorMessage')).to.match(/^BatchNorm2d: expected a 4-D input/);
  });

  it('trains a small conv net with DropBlock and dropout: the loss goes down', async () => {
    const { losses } = await call('train', 30);
    console.log(`      loss: ${losses[0].toFixed(3)} → ${losses[losses.length - 1].toFixed(3)} over ${losses.length} Adam steps`);
    expect(losses.every(Number.isFinite)).to.equal(true);
    expect(losses[losses.length - 1]).to.be.lessThan(0.5 * losses[0]);
  });
});
