/**
 * The training and test splits a run asks for and reading them. A DataRequest is plain data (a
 * child process can take it over IPC); loadData reads it and checks, before any training, that the
 * splits agree. The data comes from MNIST or Fashion-MNIST by name, IDX files, or CIFAR-10.
 */
import { type ImageDataset, cifar10Normalization } from './dataset';
import { type LoadIdxOptions, type MnistSplit, loadCifar10, loadFashionMnist, loadIdxDataset, loadMnist } from './node-loaders';

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
}

export interface DataSplits {
  train: ImageDataset;
  test: ImageDataset;
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

/**
 * Reads the data (the training split only when `needTrain`; only the first --limit and
 * --test-limit images) and checks, before any training, that
 * the splits agree: the same image shape, no test label outside the training classes, and
 * something to train and test on.
 */
export function loadData(request: DataRequest, needTrain = true): DataSplits {
  const { source, trainLimit, testLimit } = request;
  const empty = (): ImageDataset => ({ images: new Float32Array(0), labels: new Uint8Array(0), shape: [1, 28, 28], classes: 10 });
  let splits: Omit<DataSplits, 'trainLimit' | 'testLimit'>;
  if (source.kind === 'cifar') {
    const batches = [1, 2, 3, 4, 5].map((i) => `${source.dir}/data_batch_${i}.bin`);
    splits = {
      train: needTrain ? loadCifar10(batches, { normalization: cifar10Normalization, limit: trainLimit }) : empty(),
      test: loadCifar10([`${source.dir}/test_batch.bin`], { normalization: cifar10Normalization, limit: testLimit }),
      name: `CIFAR-10 (${source.dir})`,
    };
  } else if (source.kind === 'idx') {
    splits = {
      train: needTrain ? loadIdxDataset(source.trainImages, source.trainLabels, { limit: trainLimit }) : empty(),
      test: loadIdxDataset(source.testImages, source.testLabels, { limit: testLimit }),
      name: 'IDX files',
    };
  } else {
    splits = {
      train: needTrain ? loadNamedSplit(source, 'train', { limit: trainLimit }) : empty(),
      test: loadNamedSplit(source, 'test', { limit: testLimit }),
      name: namedSourceTitle(source),
    };
  }
  const { train, test, name } = splits;
  if (test.labels.length === 0) throw new Error(`the test set of ${name} is empty: nothing to evaluate on`);
  if (!needTrain) return { ...splits, trainLimit, testLimit };
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
  return { train, test: { ...test, classes: train.classes }, name, trainLimit, testLimit };
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
