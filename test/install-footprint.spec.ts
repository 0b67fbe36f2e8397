import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type OptInSet, optInDir, optInSets } from '../scripts/opt-in';

/**
 * A clone's `npm install` stays light: what only some tasks need (the wasm compiler, the bench
 * peers, gpu.js) lives in the opt-in sets, each pinned with its own lockfile, and none of it is in
 * the root lockfile; every install script left there is approved in allowScripts, so a plain
 * `npm install` prints no warning.
 */
interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  allowScripts?: Record<string, boolean>;
}
interface Lockfile {
  packages: Record<string, Manifest & { hasInstallScript?: boolean }>;
}

const repoRoot = join(__dirname, '..');
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const rootManifest = readJson<Manifest>(join(repoRoot, 'package.json'));
const rootLock = readJson<Lockfile>(join(repoRoot, 'package-lock.json'));
const packageName = (path: string): string => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
const rootPackages = new Set(Object.keys(rootLock.packages).filter(Boolean).map(packageName));

describe('install footprint', () => {
  for (const set of Object.keys(optInSets) as OptInSet[]) {
    const manifest = readJson<Manifest>(join(optInDir(set), 'package.json'));
    const dependencies = manifest.dependencies ?? {};

    it(`the opt-in set ${set} is pinned, its lockfile in step with it, and none of it is in the root lockfile`, () => {
      for (const [name, version] of Object.entries(dependencies)) expect(version, name).to.match(/^\d+\.\d+\.\d+$/);
      const lock = readJson<Lockfile>(join(optInDir(set), 'package-lock.json'));
      expect(lock.packages['']?.dependencies).to.deep.equal(dependencies);
      expect(Object.keys(dependencies).filter((name) => rootPackages.has(name))).to.deep.equal([]);
    });
  }

  it('every install script in the root lockfile is approved in allowScripts', () => {
    const scripted = Object.entries(rootLock.packages)
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([path]) => packageName(path));
    expect(scripted.filter((name) => rootManifest.allowScripts?.[name] !== true)).to.deep.equal([]);
  });
});
