/** The data flags shared by the commands that train or evaluate: MNIST by default, or IDX / CIFAR-10 files. */
import { FlagSpecs, Flags, UsageError, parseNumber } from './args';
import { ImageDataset, cifar10Normalization } from '../data/dataset';
import { loadCifar10, loadIdxDataset, loadMnist } from '../data/node-loaders';

export const dataFlags: FlagSpecs = {
  data: { type: 'string', value: 'DIR', description: 'directory with the four MNIST/Fashion-MNIST IDX files (default: the bundled MNIST)' },
  'train-images': { type: 'string', value: 'FILE', description: 'IDX training images (with --train-labels, --test-images, --test-labels)' },
  'train-labels': { type: 'string', value: 'FILE', description: 'IDX training labels' },
  'test-images': { type: 'string', value: 'FILE', description: 'IDX test images' },
  'test-labels': { type: 'string', value: 'FILE', description: 'IDX test labels' },
  cifar: { type: 'string', value: 'DIR', description: 'directory with CIFAR-10 binary batches (data_batch_1..5.bin, test_batch.bin)' },
  limit: { type: 'string', value: 'N', description: 'train on the first N examples only (quick runs)' },
  'test-limit': { type: 'string', value: 'N', description: 'evaluate on the first N test examples only' },
};

export interface DataSplits {
  train: ImageDataset;
  test: ImageDataset;
  name: string;
  trainLimit?: number;
  testLimit?: number;
}

export function loadData(flags: Flags, needTrain = true): DataSplits {
  const limit = flags.limit !== undefined ? parseNumber('limit', String(flags.limit), { integer: true, min: 1 }) : undefined;
  const testLimit = flags['test-limit'] !== undefined ? parseNumber('test-limit', String(flags['test-limit']), { integer: true, min: 1 }) : undefined;
  const files = ['train-images', 'train-labels', 'test-images', 'test-labels'].map((f) => flags[f] as string | undefined);
  const [trainImages, trainLabels, testImages, testLabels] = files;
  const empty = (): ImageDataset => ({ images: new Float32Array(0), labels: new Uint8Array(0), shape: [1, 28, 28], classes: 10 });
  if (flags.cifar !== undefined) {
    const dir = String(flags.cifar);
    const batches = [1, 2, 3, 4, 5].map((i) => `${dir}/data_batch_${i}.bin`);
    return {
      train: needTrain ? loadCifar10(batches, { normalization: cifar10Normalization }) : empty(),
      test: loadCifar10([`${dir}/test_batch.bin`], { normalization: cifar10Normalization }),
      name: `CIFAR-10 (${dir})`,
      trainLimit: limit,
      testLimit,
    };
  }
  if (files.some((f) => f !== undefined)) {
    if (files.some((f) => f === undefined)) throw new UsageError('give all four of --train-images, --train-labels, --test-images, --test-labels (or --data DIR)');
    return {
      train: needTrain ? loadIdxDataset(trainImages!, trainLabels!) : empty(),
      test: loadIdxDataset(testImages!, testLabels!),
      name: 'IDX files',
      trainLimit: limit,
      testLimit,
    };
  }
  const dir = flags.data as string | undefined;
  return {
    train: needTrain ? loadMnist('train', { dir }) : empty(),
    test: loadMnist('test', { dir }),
    name: dir ? `IDX data in ${dir}` : 'MNIST',
    trainLimit: limit,
    testLimit,
  };
}
