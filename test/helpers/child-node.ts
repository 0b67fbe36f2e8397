/**
 * Running the library in a fresh Node process: for what is settled once per process (the thread
 * count, the wasm instance, the default backend), for environments a spec must not impose on the
 * mocha process (no WebAssembly, `ulimit -v`), and for what could hang (a child that hangs fails
 * by mocha's timeout, since the spec awaits it instead of blocking).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

export interface ChildResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface ChildOptions {
  /** DROPGRAD_* variables for the child (the parent's are not passed on). */
  env?: Record<string, string>;
  /** Runs the child under `ulimit -v` with this many KiB of virtual memory. */
  virtualMemoryKiB?: number;
}

/**
 * Bundles the library (index.ts plus `extraExports`, e.g. test seams) as one CommonJS file before
 * the suite, and returns a runner of scripts in which `load()` requires it. Not tsx: it compiles
 * with WebAssembly itself, so a child without WebAssembly (or under `ulimit -v`) could not load
 * index.ts through it.
 */
export function useLibraryChild(extraExports = ''): (script: string, options?: ChildOptions) => Promise<ChildResult> {
  let outdir = '';
  let bundle = '';
  const children = new Set<ReturnType<typeof spawn>>();
  before(async () => {
    outdir = mkdtempSync(join(tmpdir(), 'dropgrad-child-'));
    bundle = join(outdir, 'dropgrad.cjs');
    await build({
      stdin: { contents: `export * from './index';\n${extraExports}`, resolveDir: join(__dirname, '..', '..'), loader: 'ts' },
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['gpu.js'],
      logLevel: 'warning',
    });
  });
  // A child still running here hung (mocha's timeout failed its spec): end it.
  afterEach(() => {
    for (const child of children) child.kill('SIGKILL');
  });
  after(() => rmSync(outdir, { recursive: true, force: true }));

  return (script, { env = {}, virtualMemoryKiB } = {}) => {
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('DROPGRAD_')));
    const code = `const load = () => require(${JSON.stringify(bundle)});\n(async () => {\n${script}\n})().catch((error) => { console.error(error); process.exitCode = 1; });`;
    const child =
      virtualMemoryKiB === undefined
        ? spawn(process.execPath, ['-e', code], { env: { ...inherited, ...env } })
        : spawn('bash', ['-c', `ulimit -v ${virtualMemoryKiB} && exec "$0" -e "$1"`, process.execPath, code], {
            env: { ...inherited, ...env },
          });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (status) => {
        children.delete(child);
        resolve({ status, stdout, stderr });
      });
    });
  };
}
