/**
 * The browser builds, shared by scripts/build.mjs, the browser tests, the demo server and the
 * browser benchmark:
 *
 * - the library: browser.ts as one minified ES module. ndarray and ndarray-ops are bundled in (a
 *   page has no node_modules); gpu.js stays out, because it is ~640 kB minified and only the
 *   'gpu.js' backend needs it — a page loads gpu-browser.min.js itself and hands it over with
 *   configureGpuJs({ load }) (kernels/gpujs/context.ts). platform 'browser' makes esbuild refuse
 *   any Node built-in that slips into browser.ts' imports, and reading the metafile (see
 *   nodeBuiltinsIn) says which one if a build ever marks one external.
 * - page scripts (the demo, test and benchmark pages): bundled each on its own, except that their
 *   import of browser.ts becomes an import of the library module's URL, so every page runs the
 *   very bundle users get instead of a private copy.
 */
import { build } from 'esbuild';
import type { Metafile, Plugin } from 'esbuild';
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { optInDir } from './opt-in';

const root = resolve(__dirname, '..');
const browserEntry = join(root, 'browser.ts');

/** The library module's file name in a browser build's output directory. */
export const libraryFile = 'dropgrad.mjs';

const target = ['chrome100', 'firefox100', 'safari15'];

/**
 * Builds the library into `outdir`/dropgrad.mjs; returns esbuild's metafile. Names are kept
 * (esbuild's keepNames): error messages say `${this.constructor.name}`, which minification would
 * turn into a one-letter name. A source map is for the test and demo pages; the published build has
 * none (see scripts/build.mjs).
 */
export async function buildLibrary(outdir: string, { sourcemap = true } = {}): Promise<Metafile> {
  const result = await build({
    entryPoints: [browserEntry],
    outfile: join(outdir, libraryFile),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target,
    minify: true,
    keepNames: true,
    sourcemap,
    external: ['gpu.js'],
    metafile: true,
    logLevel: 'warning',
  });
  return result.metafile;
}

/**
 * Bundles the page script `entry` into `outdir`/<entry name>.mjs, its import of browser.ts turned
 * into an import of `libraryUrl` (where the page's server has the library module).
 */
export async function buildPageScript(entry: string, outdir: string, libraryUrl: string): Promise<string> {
  const outfile = join(outdir, `${basename(entry).replace(/\.ts$/, '')}.mjs`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target,
    sourcemap: true,
    plugins: [libraryAsUrl(libraryUrl)],
    logLevel: 'warning',
  });
  return outfile;
}

function libraryAsUrl(libraryUrl: string): Plugin {
  return {
    name: 'dropgrad-library-url',
    setup(builder) {
      builder.onResolve({ filter: /(^|\/)browser(\.ts)?$/ }, (args) => {
        const target = resolve(args.resolveDir, args.path);
        return target === browserEntry || `${target}.ts` === browserEntry ? { path: libraryUrl, external: true } : undefined;
      });
    },
  };
}

const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/**
 * The Node built-ins a build reached: bundled inputs whose path names one (a polyfill would show
 * up so) and imports left external. Empty for a browser-safe build.
 */
export function nodeBuiltinsIn(metafile: Metafile): string[] {
  const found = new Set<string>();
  for (const [path, input] of Object.entries(metafile.inputs)) {
    if (builtins.has(path)) found.add(path);
    for (const imported of input.imports) if (builtins.has(imported.path)) found.add(imported.path);
  }
  for (const output of Object.values(metafile.outputs)) {
    for (const imported of output.imports) if (builtins.has(imported.path)) found.add(imported.path);
  }
  return [...found].sort();
}

export interface BundleSize {
  bytes: number;
  /** gzip at level 9, what a server would send. */
  gzipBytes: number;
}

export function fileSize(path: string): BundleSize {
  const bytes = readFileSync(path);
  return { bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
}

export function describeSize(what: string, { bytes, gzipBytes }: BundleSize): string {
  return `${what}: ${(bytes / 1024).toFixed(1)} kB minified, ${(gzipBytes / 1024).toFixed(1)} kB gzipped`;
}

/**
 * gpu.js' browser build, which a page loads itself when it wants the 'gpu.js' backend, from its
 * opt-in set (npm run setup:gpujs); undefined where gpu.js is not installed.
 */
export function gpuJsBrowserBuild(): string | undefined {
  try {
    const manifest = require.resolve('gpu.js/package.json', { paths: [optInDir('gpujs')] });
    return join(dirname(manifest), 'dist', 'gpu-browser.min.js');
  } catch {
    return undefined;
  }
}
