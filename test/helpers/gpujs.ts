import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { GpuJsModule } from '../../kernels/gpujs/context';
import { optInDir } from '../../scripts/opt-in';
import { skipUnless } from './skip-unless';

/** Why the gpu.js specs cannot run here, or undefined when its opt-in set is installed. */
export function gpuJsMissing(): string | undefined {
  return existsSync(join(optInDir('gpujs'), 'node_modules', 'gpu.js', 'package.json'))
    ? undefined
    : 'gpu.js is not installed (its opt-in set: npm run setup:gpujs)';
}

/** gpu.js, for a spec that runs it; the spec skips (fails on CI) where it is not installed. */
export function installedGpuJs(context: Mocha.Context): GpuJsModule {
  skipUnless(context, gpuJsMissing());
  return require('gpu.js') as GpuJsModule;
}
