/**
 * The opt-in package sets: tools and peers that a plain `npm install` of a clone leaves out because
 * only some tasks need them, and they are large or compile natively. Each set is a folder with its
 * own pinned package.json and package-lock.json; its node_modules/ beside them (gitignored) is
 * installed with `npm ci` on first use, and again whenever its lockfile is newer than the install.
 *
 *   npx tsx scripts/opt-in.ts assemblyscript     installs one set ahead of use
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { delimiter, join, resolve } from 'node:path';

const repoRoot = resolve(__dirname, '..');

export const optInSets = {
  /** the AssemblyScript compiler, needed only to change the wasm kernels (scripts/build-wasm.mts) */
  assemblyscript: 'opt-in/assemblyscript',
  /** the peers the benchmarks compare with (TensorFlow.js and its wasm backend, ConvNetJS): bench/'s imports resolve to them */
  bench: 'bench',
  /** gpu.js with its native headless-gl, for the gpu.js backend's specs (users install gpu.js as an optional peer) */
  gpujs: 'opt-in/gpujs',
} as const;
export type OptInSet = keyof typeof optInSets;

/** The set's folder, absolute. */
export function optInDir(set: OptInSet): string {
  return join(repoRoot, optInSets[set]);
}

/** Installs the set unless its install is there and at least as new as its lockfile. */
export function ensureOptIn(set: OptInSet): void {
  const dir = optInDir(set);
  const installed = join(dir, 'node_modules', '.package-lock.json');
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(join(dir, 'package-lock.json')).mtimeMs) return;
  console.error(`installing the opt-in set ${set} into ${optInSets[set]}/node_modules (npm ci)…`);
  const npm = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
  if (npm.status !== 0) throw new Error(`npm ci in ${optInSets[set]} failed (exit ${npm.status ?? npm.signal})`);
}

/** A require that resolves from the set's own node_modules, installing the set first if needed. */
export function optInRequire(set: OptInSet): NodeJS.Require {
  ensureOptIn(set);
  return createRequire(join(optInDir(set), 'package.json'));
}

/**
 * Lets require() in this process and its children find the set's packages (NODE_PATH), without
 * installing it: for what loads an optional package by name, as the gpu.js backend does.
 */
export function addOptInToNodePath(set: OptInSet): void {
  const dir = join(optInDir(set), 'node_modules');
  const paths = (process.env.NODE_PATH ?? '').split(delimiter).filter(Boolean);
  if (!paths.includes(dir)) process.env.NODE_PATH = [...paths, dir].join(delimiter);
  // Node reads NODE_PATH once, at startup; _initPaths reads it again for this process.
  (Module as unknown as { _initPaths(): void })._initPaths();
}

if (require.main === module) {
  const names = process.argv.slice(2);
  const unknown = names.filter((name) => !(name in optInSets));
  if (names.length === 0 || unknown.length > 0) {
    console.error(
      `usage: tsx scripts/opt-in.ts <set>…; got ${JSON.stringify(names)}, expected one or more of ${Object.keys(optInSets).join(', ')}`,
    );
    process.exit(2);
  }
  for (const name of names) ensureOptIn(name as OptInSet);
}
