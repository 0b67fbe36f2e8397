/**
 * The browser entry (browser.ts) and its bundle: browser-safe, the same API as the root minus the
 * file-system helpers, and the size the README quotes (printed here; no size assertion, which
 * would fail on unrelated growth rather than on a bug).
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import * as browser from '../browser';
import * as root from '../index';
import { buildLibrary, describeSize, fileSize, libraryFile, nodeBuiltinsIn } from '../scripts/browser-bundle';

const nodeOnly = [
  'fashionMnistDirectory',
  'inspectCheckpoint',
  'load',
  'loadCheckpoint',
  'loadCifar10',
  'loadFashionMnist',
  'loadIdxDataset',
  'loadInto',
  'loadMnist',
  'readIdxFile',
  'readSafetensors',
  'save',
  'saveCheckpoint',
];

describe('browser bundle', function () {
  this.timeout(60000);
  let outdir: string;
  let metafile: Metafile;

  before(async () => {
    outdir = mkdtempSync(join(tmpdir(), 'dropgrad-bundle-'));
    metafile = await buildLibrary(outdir);
  });
  after(() => rmSync(outdir, { recursive: true, force: true }));

  it('reaches no Node built-in (fs, path, worker_threads, child_process, …)', () => {
    expect(nodeBuiltinsIn(metafile)).to.deep.equal([]);
    const inputs = Object.keys(metafile.inputs);
    for (const file of [
      'app/data/data-file-content.ts',
      'app/data/read-idx-file.ts',
      'app/data/load-idx-dataset.ts',
      'app/data/mnist-layout-loaders.ts',
      'app/data/load-cifar10.ts',
      'app/serialization/safetensors-file.ts',
      'app/serialization/atomic-write.ts',
      'app/serialization/checkpoint.ts',
    ]) {
      expect(inputs, file).not.to.include(file);
    }
    expect(inputs.filter((path) => path.startsWith('app/cli/'))).to.deep.equal([]);
    expect(
      inputs.filter((path) => path.includes('node_modules/gpu.js/')),
      'gpu.js is loaded by the page, not bundled',
    ).to.deep.equal([]);
  });

  it('would notice one: built-ins among inputs or external imports are reported', () => {
    const input = (path: string): Metafile['inputs'][string] => ({
      bytes: 1,
      imports: [{ path, kind: 'import-statement', external: true }],
    });
    const fake: Metafile = { inputs: { 'a.ts': input('node:fs'), fs: input('worker_threads'), 'b.ts': input('./a') }, outputs: {} };
    expect(nodeBuiltinsIn(fake)).to.deep.equal(['fs', 'node:fs', 'worker_threads']);
  });

  it('exports the root API minus exactly the file-system helpers, which Node still gets from the root', () => {
    expect(
      Object.keys(root)
        .filter((name) => !(name in browser))
        .sort(),
    ).to.deep.equal(nodeOnly);
    for (const name of Object.keys(browser)) expect(root, name).to.have.property(name);
  });

  it('has a size (minified, gzipped) to report', () => {
    const size = fileSize(join(outdir, libraryFile));
    console.log(`      ${describeSize(libraryFile, size)}`);
    expect(size.gzipBytes).to.be.greaterThan(0);
  });
});
