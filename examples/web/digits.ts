/** The MNIST digits shipped with the demo (scripts/make-web-digits.ts), fetched and parsed. */
import { type IdxArray, type ImageDataset, idxImageDataset, mnistNormalization, readIdx } from '../../browser';

async function fetchIdx(url: string): Promise<IdxArray> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return readIdx(new Uint8Array(await response.arrayBuffer()), url);
}

export interface Digits {
  /** Pixels in [0, 1], for drawing and for the masks. */
  raw: ImageDataset;
  /** Normalised with MNIST's statistics, for the network. */
  normalized: ImageDataset;
}

export async function loadDigits(split: 'train' | 'test'): Promise<Digits> {
  const [images, labels] = await Promise.all([fetchIdx(`digits/${split}-images.idx`), fetchIdx(`digits/${split}-labels.idx`)]);
  return {
    raw: idxImageDataset(images, labels, { classes: 10, normalization: { mean: 0, std: 1 } }),
    normalized: idxImageDataset(images, labels, { classes: 10, normalization: mnistNormalization }),
  };
}
