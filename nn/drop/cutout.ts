/**
 * Cutout (DeVries & Taylor 2017): zero `nHoles` squares of side `length` in each input image, so
 * the network must use the whole object, not its single most telling patch. It works on the input
 * (as data augmentation), the same square in every channel.
 *
 *   centre (cy, cx) ~ uniform over all H×W pixels (so squares may hang over the border)
 *   rows cy − ⌊length/2⌋ … cy − ⌊length/2⌋ + length − 1, likewise columns, clipped to the image
 *   forward:  y = x ⊙ M   (M = 0 inside the holes, 1 elsewhere; no rescaling, as in the paper)
 *   backward: dX = dY ⊙ M
 *
 * Our squares are exactly `length` pixels wide before clipping, odd or even; the reference code's
 * `centre ± length // 2` gives odd lengths one pixel less. The paper's CIFAR-10 choice: 1 hole of 16.
 */
import { Tensor } from '../../lib/tensor';
import { allocate } from '../../lib/dtype';
import { formatShape } from '../../lib/shape';
import { defaultGenerator } from '../../lib/random/generator';
import { DropOptions, NoiseLayer } from './noise-layer';
import { maskedScale } from './masked-scale';
import { checkPositiveInteger } from './validate';

export interface CutoutOptions extends DropOptions {
  /** Squares per image (default 1). */
  nHoles?: number;
  /** Side of each square in pixels (default 16, the paper's CIFAR-10 value). */
  length?: number;
}

/** Splits an image or a batch shape into (images, height, width); the mask is [N,1,H,W] or [1,H,W]. */
export function imageBatchShape(where: string, x: Tensor): { images: number; height: number; width: number; maskShape: number[] } {
  if (x.ndim !== 3 && x.ndim !== 4) throw new RangeError(`${where}: input must be an image [C,H,W] or a batch [N,C,H,W], got ${formatShape(x.shape)}`);
  const [height, width] = x.shape.slice(-2);
  const images = x.ndim === 4 ? x.shape[0] : 1;
  return { images, height, width, maskShape: x.ndim === 4 ? [images, 1, height, width] : [1, height, width] };
}

/** Sets rows [top, top+h) × columns [left, left+w) of image `image` in `mask` to `value`, clipped. */
export function fillRect(mask: { [i: number]: number }, image: number, height: number, width: number, top: number, left: number, h: number, w: number, value: number): void {
  for (let y = Math.max(0, top); y < Math.min(height, top + h); y++) {
    for (let x = Math.max(0, left); x < Math.min(width, left + w); x++) mask[image * height * width + y * width + x] = value;
  }
}

export function cutoutMask(x: Tensor, options: CutoutOptions = {}): Tensor {
  const nHoles = checkPositiveInteger('cutout', 'nHoles', options.nHoles ?? 1);
  const length = checkPositiveInteger('cutout', 'length', options.length ?? 16);
  const { images, height, width, maskShape } = imageBatchShape('cutout', x);
  const generator = options.generator ?? defaultGenerator;
  const mask = allocate(x.dtype, images * height * width).fill(1);
  const half = Math.floor(length / 2);
  for (let image = 0; image < images; image++) {
    for (let hole = 0; hole < nHoles; hole++) {
      const cy = generator.integer(0, height);
      const cx = generator.integer(0, width);
      fillRect(mask, image, height, width, cy - half, cx - half, length, length, 0);
    }
  }
  return Tensor.fromData(mask, maskShape);
}

export function cutout(x: Tensor, options: CutoutOptions = {}): Tensor {
  return maskedScale(x, cutoutMask(x, options));
}

/** Cutout as a layer: applied in training, the identity in eval. */
export class Cutout extends NoiseLayer {
  constructor(readonly options: CutoutOptions = {}) {
    super();
    checkPositiveInteger('Cutout', 'nHoles', options.nHoles ?? 1);
    checkPositiveInteger('Cutout', 'length', options.length ?? 16);
  }

  sampleMask(x: Tensor): Tensor {
    return cutoutMask(x, this.options);
  }

  protected isIdentity(): boolean {
    return false;
  }

  protected override describe(): string {
    return `nHoles=${this.options.nHoles ?? 1}, length=${this.options.length ?? 16}`;
  }
}
