/**
 * Node-only: the first test images of a data set as a batch for the mask pictures. The test split,
 * so the pictures show the same images whatever the training data; raw gray levels in [0, 1] (no
 * normalisation), since they are drawn, not fed to a network.
 */
import { Tensor } from '../../lib/tensor';
import type { ImageDataset, ImageDatasetOptions } from '../data/dataset';
import { type MnistSplit, loadMnist } from '../data/mnist-layout-loaders';

/** Images 0 … count−1 of a test set read by `load`, [count,C,H,W], float64 in [0, 1]. */
export function firstTestImages(count: number, load: (split: MnistSplit, options: ImageDatasetOptions) => ImageDataset): Tensor {
  const test = load('test', { normalization: { mean: 0, std: 1 } });
  const total = test.labels.length;
  if (!Number.isInteger(count) || count < 1 || count > total)
    throw new RangeError(`firstTestImages: count must be an integer in [1, ${total}], got ${count}`);
  const [channels, height, width] = test.shape;
  return Tensor.fromData(Float64Array.from(test.images.subarray(0, count * channels * height * width)), [count, channels, height, width]);
}

/** Digits 0 … count−1 of the MNIST test set, [count,1,28,28], float64 in [0, 1]. */
export function mnistTestDigits(count: number, dir?: string): Tensor {
  return firstTestImages(count, (split, options) => loadMnist(split, { ...options, dir }));
}
