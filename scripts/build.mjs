// Builds the package (run with tsx, so it can share scripts/browser-bundle.ts with the tests):
//   dist/cjs/index.cjs                      the library for Node (index.ts; dependencies external)
//   dist/esm/index.mjs                      its ES module entry: `export *` of the CommonJS build, whose
//                                           names Node reads from esbuild's export annotation; so Node
//                                           holds one copy of dropgrad (one Tensor class, one backend
//                                           setting) whether it was imported or required, and the
//                                           package ships the library once for Node, not twice
//   dist/cli.cjs                            the CLI
//   dist/browser/dropgrad.mjs               the browser module (browser.ts; see browser-bundle.ts)
//   dist/types/                             declarations for index.ts and browser.ts (CommonJS ones:
//                                           package.json has no "type"), without @internal members
//   dist/esm/index.d.mts, dist/browser/dropgrad.d.mts
//                                           the ES module builds' declarations, re-exporting those
//                                           (so that TypeScript does not offer an ES consumer a
//                                           CommonJS default export that the .mjs files lack)
// npm runs it before packing (prepack); package.json's `files` lists exactly these outputs.
//
// No source maps in dist: the Node builds are not minified (esbuild heads each file's code with a
// `// lib/tensor.ts` comment, so a stack trace reads as it is), and a map of the minified browser
// build would either inline every source (~0.6 MB, most of the tarball) or point at .ts files the
// package does not ship. Names are kept in every build (keepNames): esbuild renames clashing
// identifiers when it bundles, and error messages print `this.constructor.name`.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { buildLibrary, describeSize, fileSize, libraryFile, nodeBuiltinsIn } from './browser-bundle.ts';

rmSync('dist', { recursive: true, force: true });
const common = { bundle: true, packages: 'external', platform: 'node', target: 'node18', format: 'cjs', keepNames: true };
await build({ ...common, entryPoints: ['index.ts'], outfile: 'dist/cjs/index.cjs' });
await build({ ...common, entryPoints: ['app/cli/main.ts'], outfile: 'dist/cli.cjs' });
mkdirSync('dist/esm');
writeFileSync('dist/esm/index.mjs', "export * from '../cjs/index.cjs';\n");
const metafile = await buildLibrary('dist/browser', { sourcemap: false });
const builtins = nodeBuiltinsIn(metafile);
if (builtins.length > 0) throw new Error(`the browser build reached Node built-ins: ${builtins.join(', ')}`);
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
writeFileSync('dist/esm/index.d.mts', "export * from '../types/index.js';\n");
writeFileSync('dist/browser/dropgrad.d.mts', "export * from '../types/browser.js';\n");
console.log('built dist/cjs/index.cjs, dist/esm/index.mjs, dist/cli.cjs, dist/browser/dropgrad.mjs and their declarations');
console.log(describeSize(`dist/browser/${libraryFile}`, fileSize(`dist/browser/${libraryFile}`)));
