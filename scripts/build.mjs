// Builds the package (run with tsx, so it can share scripts/browser-bundle.ts with the tests):
//   dist/esm/index.mjs, dist/cjs/index.cjs  the library for Node (index.ts; dependencies external)
//   dist/cli.cjs                            the CLI
//   dist/browser/dropgrad.mjs               the browser module (browser.ts; see browser-bundle.ts)
//   dist/types/                             declarations for index.ts and browser.ts
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { buildLibrary, describeSize, fileSize, libraryFile, nodeBuiltinsIn } from './browser-bundle.ts';

rmSync('dist', { recursive: true, force: true });
const common = { entryPoints: ['index.ts'], bundle: true, packages: 'external', platform: 'node', target: 'node18', sourcemap: true };
// An ES module has no `require`; kernels/gpujs/context.ts loads gpu.js with one on first use, so
// the ESM build gets a real one instead of esbuild's throwing stand-in.
const esmRequire = "import { createRequire as __dropgradCreateRequire } from 'node:module'; const require = __dropgradCreateRequire(import.meta.url);";
await build({ ...common, format: 'esm', outfile: 'dist/esm/index.mjs', banner: { js: esmRequire } });
await build({ ...common, format: 'cjs', outfile: 'dist/cjs/index.cjs' });
await build({ ...common, entryPoints: ['app/cli/main.ts'], format: 'cjs', outfile: 'dist/cli.cjs' });
const metafile = await buildLibrary('dist/browser');
const builtins = nodeBuiltinsIn(metafile);
if (builtins.length > 0) throw new Error(`the browser build reached Node built-ins: ${builtins.join(', ')}`);
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
console.log('built dist/esm/index.mjs, dist/cjs/index.cjs, dist/cli.cjs, dist/browser/dropgrad.mjs, dist/types/');
console.log(describeSize(`dist/browser/${libraryFile}`, fileSize(`dist/browser/${libraryFile}`)));
