// Builds the package: ESM and CommonJS bundles of the library for Node (dependencies stay
// external) with esbuild, and type declarations with tsc.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
const common = { entryPoints: ['index.ts'], bundle: true, packages: 'external', platform: 'node', target: 'node18', sourcemap: true };
await build({ ...common, format: 'esm', outfile: 'dist/esm/index.mjs' });
await build({ ...common, format: 'cjs', outfile: 'dist/cjs/index.cjs' });
await build({ ...common, entryPoints: ['lib/cli/main.ts'], format: 'cjs', outfile: 'dist/cli.cjs' });
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
console.log('built dist/esm/index.mjs, dist/cjs/index.cjs, dist/cli.cjs, dist/types/');
