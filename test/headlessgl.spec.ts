/**
 * gpu.js on headless-gl in Node: the parity specs of the gpu.js kernels, run again in a child
 * process under Xvfb (test/headlessgl/run-parity.ts) with gpu.js forced to its headlessgl mode —
 * the real WebGL 1 code path, rendered by Mesa in software here.
 *
 * Needs xvfb-run (apt: xvfb, xauth) and a built `gl`, gpu.js' optional native dependency (apt: the
 * X/GL dev packages; its install script is approved in opt-in/gpujs/package.json's allowScripts;
 * npm run setup:gpujs installs it). Without them
 * this skips and says why, except on CI, where it fails.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { statusPrefix } from './headlessgl/run-parity';
import { skipUnless } from './helpers/skip-unless';

function headlessGlUnavailable(): string | undefined {
  if (spawnSync('xvfb-run', ['--help'], { stdio: 'ignore' }).error !== undefined)
    return 'xvfb-run is not installed (apt-get install xvfb xauth)';
  try {
    require('gl');
    return undefined;
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return `headless-gl (gpu.js' optional dependency \`gl\`) is not built here: ${why} — npm run setup:gpujs builds it when libxi-dev libxext-dev libx11-dev libglu1-mesa-dev libglew-dev pkg-config are installed`;
  }
}

describe('gpu.js parity specs on headless-gl (under xvfb-run)', function () {
  this.timeout(600000);

  it('all pass, with gpuJsStatus() reporting headlessgl', function () {
    skipUnless(this, headlessGlUnavailable());
    const run = spawnSync('xvfb-run', ['-a', process.execPath, '--import', 'tsx', join(__dirname, 'headlessgl/run-parity.ts')], {
      encoding: 'utf8',
      env: { ...process.env, DROPGRAD_GPUJS_MODE: 'headlessgl' },
    });
    const output = `${run.stdout}${run.stderr}`;
    const statusLine = output.split('\n').find((line) => line.startsWith(statusPrefix));
    expect(statusLine, output).to.equal(`${statusPrefix}${JSON.stringify({ available: true, mode: 'headlessgl' })}`);
    const passing = Number(/(\d+) passing/.exec(output)?.[1] ?? 0);
    const failing = Number(/(\d+) failing/.exec(output)?.[1] ?? 0);
    console.log(`      ${statusLine}; ${passing} passing, ${failing} failing`);
    expect(run.status, output).to.equal(0);
    expect(passing, output).to.be.greaterThan(0);
  });
});
