/**
 * What the committed wasm modules (kernels/wasm/generated/modules.ts) are built from — the
 * AssemblyScript sources, the compiler's pinned version and the flags — and their digest, which
 * the generated file records so that a spec can tell, without the compiler, that it is stale.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { optInDir } from './opt-in';

const repoRoot = resolve(__dirname, '..');
export const wasmSourceDir = join(repoRoot, 'kernels/wasm/assembly');
export const wasmModulesFile = join(repoRoot, 'kernels/wasm/generated/modules.ts');

const common = ['-O3', '--noAssert', '--runtime', 'stub', '--use', 'abort=', '--importMemory', '--initialMemory', '1', '--enable', 'simd'];
/**
 * The two modules differ only in their memory:
 *   threaded — imports a shared memory (needs SharedArrayBuffer: Node, cross-origin isolated pages),
 *              so worker threads can instantiate the same code on the same memory;
 *   single   — imports an ordinary memory, for pages without cross-origin isolation.
 */
export const wasmVariants = {
  threaded: [...common, '--sharedMemory', '--maximumMemory', '65536', '--enable', 'threads'],
  single: common,
};

/** The compiler's version as pinned in its opt-in set (read without installing it). */
export function pinnedCompilerVersion(): string {
  const manifest = JSON.parse(readFileSync(join(optInDir('assemblyscript'), 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  return manifest.dependencies.assemblyscript;
}

/** The AssemblyScript source files, sorted. */
export function wasmSources(sourceDir = wasmSourceDir): string[] {
  return readdirSync(sourceDir)
    .filter((name) => name.endsWith('.ts'))
    .sort();
}

/** 16 hex digits of the sha-256 of the compiler version, the flags and every source file. */
export function wasmSourceDigest(sourceDir = wasmSourceDir): string {
  return createHash('sha256')
    .update(JSON.stringify({ compiler: pinnedCompilerVersion(), variants: wasmVariants }))
    .update(
      wasmSources(sourceDir)
        .map((name) => `${name}\n${readFileSync(join(sourceDir, name), 'utf8')}`)
        .join('\n'),
    )
    .digest('hex')
    .slice(0, 16);
}
