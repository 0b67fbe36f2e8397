/**
 * A page site: a directory of static files (index.html, assets) plus TypeScript page scripts,
 * built and served together the same way for the demo (npm run demo:web), the browser tests and
 * the browser benchmark. URLs:
 *   /                 the site's directory
 *   /build/           the library module (dropgrad.mjs) and the page scripts as <name>.mjs
 *   /gpu.js/          gpu.js' browser builds, for pages that use the 'gpu.js' backend
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Metafile } from 'esbuild';
import { buildLibrary, buildPageScript, gpuJsBrowserBuild, libraryFile } from './browser-bundle';
import { type StaticServer, serveStatic } from './static-server';

export interface WebSite {
  /** Directory served at '/'. */
  root: string;
  /** Page script entries (TypeScript), each served as /build/<name>.mjs. */
  scripts: readonly string[];
  /** Serve every file with crossOriginIsolationHeaders, so the pages get SharedArrayBuffer (and wasm threads). */
  crossOriginIsolated?: boolean;
}

/**
 * The two headers that make a page cross-origin isolated: a browser then allows SharedArrayBuffer,
 * which the wasm backend's worker threads need (kernels/wasm/instance.ts). require-corp is no
 * obstacle here: everything the site serves comes from its own origin.
 */
export const crossOriginIsolationHeaders: Readonly<Record<string, string>> = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

export interface ServedSite extends StaticServer {
  /** The library build's metafile, for checks on what the page loaded. */
  metafile: Metafile;
}

const buildPrefix = '/build/';

/** Builds the site into a fresh temporary directory and serves it; close() also deletes the build. */
export async function serveSite(site: WebSite, port?: number): Promise<ServedSite> {
  const outdir = mkdtempSync(join(tmpdir(), 'dropgrad-web-'));
  try {
    const metafile = await buildLibrary(outdir);
    for (const script of site.scripts) await buildPageScript(script, outdir, `${buildPrefix}${libraryFile}`);
    const gpuJs = gpuJsBrowserBuild();
    const server = await serveStatic(
      { '/': site.root, [buildPrefix]: outdir, ...(gpuJs === undefined ? {} : { '/gpu.js/': dirname(gpuJs) }) },
      port,
      site.crossOriginIsolated ? crossOriginIsolationHeaders : {},
    );
    return {
      ...server,
      metafile,
      close: async () => {
        await server.close();
        rmSync(outdir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
}
