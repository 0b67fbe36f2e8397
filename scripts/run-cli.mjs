// `npm start` and `npm run dropgrad`: the CLI built from this clone's TypeScript sources, then run.
// esbuild bundles app/cli/main.ts in ~0.2 s into node_modules/.cache/dropgrad/cli.cjs, which starts
// in ~0.2 s; tsx loading the ~300 source files one by one took ~1.7 s at every start. The bundle is
// made afresh on each run, so an edit to a source shows at the next one, and its inline source map
// makes stack traces name the .ts files and lines, as under tsx. Children the CLI forks (--jobs)
// run the bundle itself (it forks process.argv[1]).
import { build, stop } from 'esbuild';
import { lstatSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(root, 'node_modules', '.cache', 'dropgrad');
const bundle = join(cache, 'cli.cjs');

const { outputFiles } = await build({
  entryPoints: [join(root, 'app', 'cli', 'main.ts')],
  outfile: bundle,
  write: false,
  bundle: true,
  packages: 'external',
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  keepNames: true,
  sourcemap: 'inline',
  logLevel: 'error',
});
stop(); // esbuild's service process, which would otherwise live as long as the CLI
mkdirSync(cache, { recursive: true });
const existing = lstatSync(bundle, { throwIfNoEntry: false });
if (existing && !existing.isFile()) throw new Error(`${bundle} exists and is not a regular file; remove it to run the CLI`);
// Written beside it and renamed over it: a CLI starting meanwhile reads the old bundle or the new one, whole.
const temporary = `${bundle}.${process.pid}.tmp`;
writeFileSync(temporary, outputFiles[0].contents);
renameSync(temporary, bundle);

process.setSourceMapsEnabled(true);
process.execArgv.push('--enable-source-maps');
process.argv[1] = bundle;
createRequire(import.meta.url)(bundle).runAsMain();
