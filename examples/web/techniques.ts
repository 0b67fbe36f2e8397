/**
 * The techniques the demo offers, each as its hyper-parameters and a mask: the technique applied
 * to ones, so the mask is exactly the factor it multiplies the input by (0 where it drops, the
 * inverted-dropout scale where it keeps, the noise for gaussian dropout and uout). All through
 * dropgrad's public functional API, with the demo's generator so a seed repeats a picture.
 */
import { F, type Generator, type Tensor, onesLike } from '../../browser';

export interface Parameter {
  name: string;
  label: string;
  min: number;
  max: number;
  step: number;
  value: number;
}

export interface Technique {
  name: string;
  label: string;
  parameters: readonly Parameter[];
  /** The multiplicative mask for `x` ([N,1,H,W]) under the given parameter values. */
  mask(x: Tensor, values: Readonly<Record<string, number>>, generator: Generator): Tensor;
}

const probability = (value: number, label = 'p'): Parameter => ({ name: 'p', label, min: 0, max: 0.95, step: 0.05, value });

export const techniques: readonly Technique[] = [
  {
    name: 'dropout',
    label: 'Dropout',
    parameters: [probability(0.3)],
    mask: (x, { p }, generator) => F.dropout(onesLike(x), p, { generator }),
  },
  {
    // A digit has one channel, so Dropout2d keeps or drops whole images: what it does to a feature map.
    name: 'dropout2d',
    label: 'Dropout2d (whole channels)',
    parameters: [probability(0.3)],
    mask: (x, { p }, generator) => F.dropout2d(onesLike(x), p, { generator }),
  },
  {
    name: 'dropblock',
    label: 'DropBlock',
    parameters: [probability(0.2), { name: 'blockSize', label: 'block size', min: 1, max: 14, step: 1, value: 5 }],
    mask: (x, { p, blockSize }, generator) => F.dropBlock2d(onesLike(x), p, { blockSize, generator }),
  },
  {
    name: 'cutout',
    label: 'Cutout',
    parameters: [
      { name: 'length', label: 'length', min: 1, max: 28, step: 1, value: 12 },
      { name: 'holes', label: 'holes', min: 1, max: 5, step: 1, value: 1 },
    ],
    mask: (x, { length, holes }, generator) => F.cutout(onesLike(x), length, { holes, generator }),
  },
  {
    name: 'random-erasing',
    label: 'Random erasing',
    parameters: [probability(0.8), { name: 'maxArea', label: 'max area', min: 0.05, max: 0.5, step: 0.01, value: 0.33 }],
    mask: (x, { p, maxArea }, generator) => F.randomErasing(onesLike(x), p, { scale: [0.02, maxArea], value: 0, generator }),
  },
  {
    name: 'gaussian',
    label: 'Gaussian dropout',
    parameters: [probability(0.3)],
    mask: (x, { p }, generator) => F.gaussianDropout(onesLike(x), p, { generator }),
  },
  {
    name: 'uout',
    label: 'Uout',
    parameters: [{ name: 'beta', label: 'β', min: 0, max: 1, step: 0.05, value: 0.5 }],
    mask: (x, { beta }, generator) => F.uout(onesLike(x), beta, { generator }),
  },
];
