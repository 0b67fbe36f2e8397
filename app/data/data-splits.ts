/**
 * The training and test splits a run asks for and reading them. A DataRequest is plain data (a
 * child process can take it over IPC); loadData reads it and checks, before any training, that the
 * splits agree. The data comes from MNIST or Fashion-MNIST by name, IDX files, or CIFAR-10.
 */
import { type ImageDataset, cifar10Normalization, imageSubset } from './dataset';
import { validationSplit } from './validation-split';
import { type LoadIdxOptions, loadIdxDataset } from './load-idx-dataset';
import { type MnistSplit, loadFashionMnist, loadMnist } from './mnist-layout-loaders';
import { loadCifar10 } from './load-cifar10';

/** The data sets --dataset names: MNIST's layout of four IDX files each, each with its loader. */
const namedDatasets = {
  mnist: { title: 'MNIST', load: loadMnist },
  'fashion-mnist': { title: 'Fashion-MNIST', load: loadFashionMnist },
} as const;

export type DatasetName = keyof typeof namedDatasets;
export const datasetNames = Object.keys(namedDatasets) as DatasetName[];

/** A data set by name, from its default place or from `dir`. */
export interface NamedDataSource {
  kind: DatasetName;
  dir?: string;
}

export type DataSource =
  | NamedDataSource
  | { kind: 'idx'; trainImages: string; trainLabels: string; testImages: string; testLabels: string }
  | { kind: 'cifar'; dir: string };

/** What a run reads, where from and how much: the data flags, checked. */
export interface DataRequest {
  source: DataSource;
  trainLimit?: number;
  testLimit?: number;
  /**
   * Score on a validation split of this many images carved from the training set
   * (app/data/validation-split.ts) instead of the test set, which is then never read; trainLimit
   * counts the images left.
   */
  validationSize?: number;
}

export interface DataSplits {
  train: ImageDataset;
  /** The images a run is scored on: the test set, or the validation split (see `split`). */
  test: ImageDataset;
  /** What `test` holds; with 'validation' no test image was read. */
  split: 'test' | 'validation';
  name: string;
  trainLimit?: number;
  testLimit?: number;
}

/** One split of a named data set; `options` override its own normalization and class names, or limit it. */
export function loadNamedSplit(source: NamedDataSource, split: MnistSplit, options: LoadIdxOptions = {}): ImageDataset {
  return namedDatasets[source.kind].load(split, { ...options, dir: source.dir });
}

/** "Fashion-MNIST", or "Fashion-MNIST (DIR)" when read from a directory given by --data. */
export function namedSourceTitle(source: NamedDataSource): string {
  const { title } = namedDatasets[source.kind];
  return source.dir === undefined ? title : `${title} (${source.dir})`;
}

const shapeText = (shape: readonly number[]): string => shape.join('×');

/** One split of `source`, whole or its first `limit` images. */
function readSplit(source: DataSource, split: MnistSplit, limit: number | undefined): ImageDataset {
  if (source.kind === 'cifar') {
    const files = split === 'train' ? [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`) : ['test_batch.bin'];
    return loadCifar10(
      files.map((f) => `${source.dir}/${f}`),
      { normalization: cifar10Normalization, limit },
    );
  }
  if (source.kind === 'idx') {
    return split === 'train'
      ? loadIdxDataset(source.trainImages, source.trainLabels, { limit })
      : loadIdxDataset(source.testImages, source.testLabels, { limit });
  }
  return loadNamedSplit(source, split, { limit });
}

function sourceTitle(source: DataSource): string {
  if (source.kind === 'cifar') return `CIFAR-10 (${source.dir})`;
  return source.kind === 'idx' ? 'IDX files' : namedSourceTitle(source);
}

/**
 * Reads the data (the training split only when `needTrain`; only the first --limit and
 * --test-limit images) and checks, before any training, that
 * the splits agree: the same image shape, no test label outside the training classes, and
 * something to train and test on. With `request.validationSize`, see loadValidationData.
 */
export function loadData(request: DataRequest, needTrain = true): DataSplits {
  if (request.validationSize !== undefined) {
    if (!needTrain) throw new Error('loadData: a validation split is carved from the training set, which needTrain = false does not read');
    return loadValidationData(request, request.validationSize);
  }
  const { source, trainLimit, testLimit } = request;
  const empty = (): ImageDataset => ({ images: new Float32Array(0), labels: new Uint8Array(0), shape: [1, 28, 28], classes: 10 });
  const name = sourceTitle(source);
  const train = needTrain ? readSplit(source, 'train', trainLimit) : empty();
  const test = readSplit(source, 'test', testLimit);
  if (test.labels.length === 0) throw new Error(`the test set of ${name} is empty: nothing to evaluate on`);
  if (!needTrain) return { train, test, name, trainLimit, testLimit, split: 'test' };
  if (train.labels.length === 0) throw new Error(`the training set of ${name} is empty: nothing to train on`);
  if (shapeText(train.shape) !== shapeText(test.shape)) {
    throw new Error(
      `the training images of ${name} are ${shapeText(train.shape)} but the test images are ${shapeText(test.shape)}; both splits must have one image shape`,
    );
  }
  if (test.classes > train.classes) {
    throw new Error(
      `the test set of ${name} has labels up to ${test.classes - 1}, but the training set only ${train.classes} classes (0-${train.classes - 1}): the model could never predict them`,
    );
  }
  // A test set that lacks the last classes is fine: it is scored over the training set's classes.
  return { train, test: { ...test, classes: train.classes }, name, trainLimit, testLimit, split: 'test' };
}

/**
 * `compare --split validation`'s data: the whole training set is read (the validation images are
 * drawn from all of it), split by validationSplit, and the test set is not opened at all. `test`
 * then holds the validation images; both splits are already cut to size (no limits left).
 */
function loadValidationData(request: DataRequest, validationSize: number): DataSplits {
  const { source, trainLimit } = request;
  const name = sourceTitle(source);
  const whole = readSplit(source, 'train', undefined);
  const size = whole.labels.length;
  const needed = validationSize + (trainLimit ?? 1);
  if (needed > size) {
    throw new RangeError(
      `--validation-size ${validationSize}${trainLimit !== undefined ? ` with --limit ${trainLimit}` : ''} needs ${needed} training images ` +
        `(${trainLimit !== undefined ? 'the validation split and the training subset' : 'the validation split and at least one to train on'}), ` +
        `but the training set of ${name} has ${size}`,
    );
  }
  const indices = validationSplit(size, { validationSize, trainLimit });
  return { train: imageSubset(whole, indices.train), test: imageSubset(whole, indices.validation), name, split: 'validation' };
}

/** How many training and test images a run uses: the whole split, or its first --limit / --test-limit. */
export function examplesUsed(data: DataSplits): { train: number; test: number } {
  return {
    train: Math.min(data.trainLimit ?? Infinity, data.train.labels.length),
    test: Math.min(data.testLimit ?? Infinity, data.test.labels.length),
  };
}

/** A worker process's data: read for its first task and kept for the next ones asking for the same. */
let kept: { key: string; data: DataSplits } | undefined;

export function loadDataOnce(request: DataRequest): DataSplits {
  const key = JSON.stringify(request);
  if (kept?.key !== key) kept = { key, data: loadData(request) };
  return kept.data;
}
