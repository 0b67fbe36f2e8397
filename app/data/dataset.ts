/**
 * An in-memory image classification dataset: every image already normalised in one Float32Array,
 * so that a DataLoader fills a batch by copying slices (no per-example objects, no JS number
 * arrays). float32 halves the memory of float64 (MNIST's 60000 training images take 188 MB) and
 * loses nothing: the pixels are 8-bit to begin with.
 *
 * This file is browser-safe; the loaders on disk (app/data/load-idx-dataset.ts,
 * app/data/mnist-layout-loaders.ts, app/data/load-cifar10.ts) read the files in Node.
 */
import type { IdxArray } from './idx';
import { formatValue } from '../../base/shape';
import { checkOptions, optionKeys } from '../../lib/validate';

export interface ImageDataset {
  /** N·C·H·W values, image after image, each [C,H,W] row-major, normalised. */
  images: Float32Array;
  /** N class indices in 0..classes-1. */
  labels: Uint8Array;
  /** [C,H,W] of one image. */
  shape: [number, number, number];
  classes: number;
  /** What each class index means ('T-shirt/top', …), when known: classNames[k] names label k. */
  classNames?: readonly string[];
}

/**
 * Checks that `dataset` is an ImageDataset whose images and labels agree: a short images array
 * would otherwise be read past its end, batch rows silently left 0, with no error anywhere.
 */
export function checkImageDataset(dataset: unknown, where: string): ImageDataset {
  const d = dataset as Partial<ImageDataset> | null;
  if (typeof d !== 'object' || d === null)
    throw new TypeError(`${where}: dataset must be an ImageDataset { images, labels, shape, classes }, got ${formatValue(dataset)}`);
  if (!(d.images instanceof Float32Array))
    throw new TypeError(`${where}: dataset.images must be a Float32Array, got ${formatValue(d.images)}`);
  if (!(d.labels instanceof Uint8Array)) throw new TypeError(`${where}: dataset.labels must be a Uint8Array, got ${formatValue(d.labels)}`);
  const shape = d.shape;
  if (!Array.isArray(shape) || shape.length !== 3 || !shape.every((n) => Number.isInteger(n) && n > 0)) {
    throw new RangeError(`${where}: dataset.shape must be [C,H,W] of positive integers, got ${formatValue(shape)}`);
  }
  const needed = d.labels.length * shape[0] * shape[1] * shape[2];
  if (d.images.length !== needed) {
    throw new RangeError(
      `${where}: dataset.images holds ${d.images.length} values, but ${d.labels.length} labels of [${shape.join(',')}] images need ${needed}`,
    );
  }
  if (!(Number.isInteger(d.classes) && (d.classes as number) > 0))
    throw new RangeError(`${where}: dataset.classes must be a positive integer, got ${formatValue(d.classes)}`);
  if (d.classNames !== undefined) checkClassNames(where, 'dataset.classNames', d.classNames, d.classes as number);
  return d as ImageDataset;
}

/**
 * x ↦ (x/255 − mean)/std, per channel. A single number applies to every channel. mean 0, std 1
 * only rescales the pixels to [0, 1].
 */
export interface Normalization {
  mean: number | readonly number[];
  std: number | readonly number[];
}

/** The customary MNIST statistics (mean and std of the training pixels scaled to [0, 1]). */
export const mnistNormalization: Normalization = { mean: 0.1307, std: 0.3081 };

/**
 * Fashion-MNIST's statistics, measured on its 60000 training images scaled to [0, 1]: mean
 * 0.28604, std 0.35302 (population std over all 47,040,000 pixels), the customary 0.2860/0.3530.
 */
export const fashionMnistNormalization: Normalization = { mean: 0.286, std: 0.353 };

/** MNIST's classes are the digits themselves. */
export const mnistClassNames: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** Fashion-MNIST's labels 0–9, as named by its authors (Xiao, Rasul & Vollgraf 2017). */
export const fashionMnistClassNames: readonly string[] = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

/** Per-channel (R, G, B) statistics of the CIFAR-10 training images scaled to [0, 1]. */
export const cifar10Normalization: Normalization = { mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.2435, 0.2616] };

export interface ImageDatasetOptions {
  /** Default: MNIST's customary statistics. */
  normalization?: Normalization;
  /** Number of classes (default: the largest label + 1, or the number of class names). */
  classes?: number;
  /** One name per class, kept on the dataset for reports (eval's confusion matrix). */
  classNames?: readonly string[];
}
const imageDatasetOptionKeys = optionKeys<ImageDatasetOptions>({ normalization: true, classes: true, classNames: true });

function checkClassNames(where: string, name: string, classNames: unknown, classes: number): void {
  if (!Array.isArray(classNames) || classNames.length !== classes || !classNames.every((n) => typeof n === 'string' && n.trim() !== '')) {
    throw new RangeError(`${where}: ${name} must be ${classes} non-empty strings (one per class), got ${formatValue(classNames)}`);
  }
}

function perChannel(where: string, name: string, value: number | readonly number[], channels: number): number[] {
  const values = typeof value === 'number' ? new Array<number>(channels).fill(value) : [...value];
  if (values.length !== channels || !values.every(Number.isFinite)) {
    throw new RangeError(
      `${where}: normalization ${name} must be a finite number or ${channels} finite numbers (one per channel), got ${JSON.stringify(value)}`,
    );
  }
  return values;
}

/**
 * Builds a dataset from 8-bit pixels (N images of `shape`, [C,H,W] each) and labels, normalising
 * every pixel.
 */
export function imageDataset(
  pixels: Uint8Array,
  labels: Uint8Array,
  shape: readonly [number, number, number],
  options: ImageDatasetOptions = {},
): ImageDataset {
  const where = 'imageDataset';
  checkOptions(where, options, imageDatasetOptionKeys);
  const [channels, height, width] = shape;
  const planeSize = height * width;
  const imageSize = channels * planeSize;
  if (pixels.length !== labels.length * imageSize) {
    throw new RangeError(
      `${where}: ${pixels.length} pixels do not make ${labels.length} images of shape [${shape.join(',')}] (${labels.length * imageSize} expected)`,
    );
  }
  const { mean, std } = options.normalization ?? mnistNormalization;
  const means = perChannel(where, 'mean', mean, channels);
  const stds = perChannel(where, 'std', std, channels);
  if (!stds.every((s) => s > 0)) throw new RangeError(`${where}: normalization std must be positive, got ${JSON.stringify(std)}`);
  const largest = labels.reduce((m, label) => Math.max(m, label), -1);
  const classes = options.classes ?? options.classNames?.length ?? largest + 1;
  // An empty dataset is valid (0 classes unless given): its users decide whether empty is an error.
  if (!Number.isInteger(classes) || classes < (labels.length > 0 ? 1 : 0) || largest >= classes) {
    throw new RangeError(`${where}: classes must be a positive integer above every label (largest label ${largest}), got ${classes}`);
  }
  const { classNames } = options;
  if (classNames !== undefined) checkClassNames(where, 'classNames', classNames, classes);
  // One lookup table per channel: 256 possible pixel values, so normalising is a table read.
  const tables = means.map((m, c) => Float32Array.from({ length: 256 }, (_, v) => (v / 255 - m) / stds[c]));
  const images = new Float32Array(pixels.length);
  for (let plane = 0; plane < pixels.length; plane += planeSize) {
    const table = tables[(plane / planeSize) % channels];
    for (let i = plane; i < plane + planeSize; i++) images[i] = table[pixels[i]];
  }
  return { images, labels, shape: [channels, height, width], classes, ...(classNames && { classNames: [...classNames] }) };
}

/**
 * A dataset from an IDX image array ([N,H,W] grey, or [N,C,H,W]) and an IDX label array [N], both
 * uint8, as in MNIST and Fashion-MNIST.
 */
export function idxImageDataset(images: IdxArray, labels: IdxArray, options: ImageDatasetOptions = {}): ImageDataset {
  const where = 'idxImageDataset';
  checkOptions(where, options, imageDatasetOptionKeys);
  if (!(images.data instanceof Uint8Array) || !(labels.data instanceof Uint8Array)) {
    throw new TypeError(
      `${where}: images and labels must both hold uint8 (IDX type 0x08), got ${images.data.constructor.name} and ${labels.data.constructor.name}`,
    );
  }
  if ((images.shape.length !== 3 && images.shape.length !== 4) || labels.shape.length !== 1) {
    throw new RangeError(
      `${where}: expected images [N,H,W] or [N,C,H,W] and labels [N], got [${images.shape.join(',')}] and [${labels.shape.join(',')}]`,
    );
  }
  if (images.shape[0] !== labels.shape[0]) {
    throw new RangeError(`${where}: ${images.shape[0]} images but ${labels.shape[0]} labels`);
  }
  const [channels, height, width] = images.shape.length === 4 ? images.shape.slice(1) : [1, ...images.shape.slice(1)];
  return imageDataset(images.data, labels.data, [channels, height, width], options);
}

/** The images at `indices` (each in 0 … N−1), in that order, copied into a dataset of their own. */
export function imageSubset(dataset: ImageDataset, indices: ArrayLike<number>): ImageDataset {
  const where = 'imageSubset';
  const { images, labels, shape } = checkImageDataset(dataset, where);
  const imageSize = shape[0] * shape[1] * shape[2];
  const subset = new Float32Array(indices.length * imageSize);
  const subsetLabels = new Uint8Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!(Number.isInteger(i) && i >= 0 && i < labels.length)) {
      throw new RangeError(`${where}: indices[${k}] must be an image index in [0, ${labels.length - 1}], got ${formatValue(i)}`);
    }
    subset.set(images.subarray(i * imageSize, (i + 1) * imageSize), k * imageSize);
    subsetLabels[k] = labels[i];
  }
  return { ...dataset, images: subset, labels: subsetLabels, shape: [...shape] };
}
