/**
 * A minimal static file server (node:http) for the browser pages: GET only, a few content types,
 * each URL prefix mapped to a directory. Listens on 127.0.0.1 — on a random free port unless one
 * is asked for — because it serves the working tree and is meant for this machine's browser only.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface StaticServer {
  /** e.g. http://127.0.0.1:40123 (no trailing slash) */
  url: string;
  close(): Promise<void>;
}

/** URL prefix ('/', '/build/') → directory. The longest matching prefix wins. */
export type Mounts = Record<string, string>;

/** `headers` go on every file served (e.g. crossOriginIsolationHeaders of scripts/web-site.ts). */
export async function serveStatic(mounts: Mounts, port = 0, headers: Record<string, string> = {}): Promise<StaticServer> {
  const table = Object.entries(mounts)
    .map(([prefix, dir]) => [prefix, resolve(dir)] as const)
    .sort((a, b) => b[0].length - a[0].length);
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const file = request.method === 'GET' ? locate(table, path.endsWith('/') ? `${path}index.html` : path) : undefined;
    if (file === undefined) {
      response.writeHead(request.method === 'GET' ? 404 : 405).end();
      return;
    }
    stat(file)
      .then((info) => (info.isFile() ? readFile(file) : Promise.reject(new Error('not a file'))))
      .then(
        (body) =>
          response
            .writeHead(200, {
              ...headers,
              'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
              'cache-control': 'no-store',
            })
            .end(body),
        () => response.writeHead(404).end(),
      );
  });
  await new Promise<void>((done, fail) => server.once('error', fail).listen(port, '127.0.0.1', () => done()));
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/** The file `path` maps to, or undefined when no mount has it or it escapes its directory. */
function locate(table: ReadonlyArray<readonly [string, string]>, path: string): string | undefined {
  for (const [prefix, dir] of table) {
    if (!path.startsWith(prefix)) continue;
    const file = resolve(join(dir, path.slice(prefix.length)));
    return file === dir || file.startsWith(dir + sep) ? file : undefined;
  }
  return undefined;
}
