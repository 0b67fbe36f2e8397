/**
 * Runs the gpu.js parity specs (test/*-gpujs.spec.ts) in one process on headless-gl, for
 * test/headlessgl.spec.ts, which starts it under xvfb-run with DROPGRAD_GPUJS_MODE=headlessgl:
 *
 *   DROPGRAD_GPUJS_MODE=headlessgl xvfb-run -a node --import tsx test/headlessgl/run-parity.ts
 *
 * Prints the gpu.js status first (the parent checks it says headlessgl) and exits non-zero when the
 * status is not headlessgl or any spec fails. The parity specs themselves fail if gpu.js falls back
 * to 'js' mid-run.
 */
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gpuJsStatus } from '../../kernels/gpujs/context';

export const statusPrefix = 'gpu.js status: ';

function main(): void {
  const status = gpuJsStatus();
  console.log(`${statusPrefix}${JSON.stringify(status)}`);
  if (!status.available || status.mode !== 'headlessgl') {
    console.error('gpu.js is not running on headless-gl, so the parity specs would not test it');
    process.exitCode = 1;
    return;
  }
  const testDir = join(__dirname, '..');
  const mocha = new Mocha({ timeout: 120000 });
  for (const file of readdirSync(testDir)
    .filter((name) => name.endsWith('-gpujs.spec.ts'))
    .sort())
    mocha.addFile(join(testDir, file));
  mocha.run((failures) => {
    process.exitCode = failures > 0 ? 1 : 0;
  });
}

if (require.main === module) main();
