/**
 * Cutout (DeVries & Taylor 2017): zero `holes` squares of side `length` in each input image, so
 * the network must use the whole object, not its single most telling patch. It works on the input
 * (as data augmentation), the same square in every channel.
 *
 *   centre (cy, cx) ~ uniform over all H×W pixels (so squares may hang over the border)
 *   rows cy − ⌊length/2⌋ … cy − ⌊length/2⌋ + length − 1, likewise columns, clipped to the image
 *   forward:  y = x ⊙ M   (M = 0 inside the holes, 1 elsewhere; no rescaling, as in the paper)
 *   backward: dX = dY ⊙ M   (the holes are drawn, not functions of x)
 *
 * Our squares are exactly `length` pixels wide before clipping, odd or even; the reference code's
 * `centre ± length // 2` gives odd lengths one pixel less. The paper's CIFAR-10 choice: 1 hole of 16.
 */
import { Tensor } from '../../lib/tensor';
import { allocate } from '../../base/dtype';
import { formatShape } from '../../base/shape';
import { generatorOf } from '../../lib/random/generator';
import { defineOp } from '../../lib/define-op';
import { checkPositiveInteger, optionKeys } from '../../lib/validate';
import { checkLayerOptions, type DropLayerOptions, type DropOptions, isTraining, type Noise, NoiseLayer } from './noise-layer';
import { multiplyByMask } from './mask-product';

export interface CutoutOptions extends DropOptions {
  /** Squares per image (default 1). */
  holes?: number;
}
const cutoutOptionKeys = optionKeys<CutoutOptions>({ training: true, generator: true, holes: true });

function checkArguments(where: string, length: number, options: CutoutOptions): { length: number; holes: number } {
  return { length: checkPositiveInteger(where, 'length', length), holes: checkPositiveInteger(where, 'holes', options.holes ?? 1) };
}

/** Splits an image or a batch shape into (images, height, width); the mask is [N,1,H,W] or [1,H,W]. */
export function imageBatchShape(where: string, x: Tensor): { images: number; height: number; width: number; maskShape: number[] } {
  if (x.ndim !== 3 && x.ndim !== 4)
    throw new RangeError(`${where}: input must be an image [C,H,W] or a batch [N,C,H,W], got ${formatShape(x.shape)}`);
  const [height, width] = x.shape.slice(-2);
  const images = x.ndim === 4 ? x.shape[0] : 1;
  return { images, height, width, maskShape: x.ndim === 4 ? [images, 1, height, width] : [1, height, width] };
}

/** Sets rows [top, top+h) × columns [left, left+w) of image `image` in `mask` to `value`, clipped. */
export function fillRect(
  mask: { [i: number]: number },
  image: number,
  height: number,
  width: number,
  top: number,
  left: number,
  h: number,
  w: number,
  value: number,
): void {
  for (let y = Math.max(0, top); y < Math.min(height, top + h); y++) {
    for (let x = Math.max(0, left); x < Math.min(width, left + w); x++) mask[image * height * width + y * width + x] = value;
  }
}

export function cutoutMask(x: Tensor, length: number, options: CutoutOptions = {}): Tensor {
  const { holes } = checkArguments('cutout', length, options);
  const { images, height, width, maskShape } = imageBatchShape('cutout', x);
  const generator = generatorOf('cutout', options.generator);
  const mask = allocate(x.dtype, images * height * width).fill(1);
  const half = Math.floor(length / 2);
  for (let image = 0; image < images; image++) {
    for (let hole = 0; hole < holes; hole++) {
      const cy = generator.integer(0, height);
      const cx = generator.integer(0, width);
      fillRect(mask, image, height, width, cy - half, cx - half, length, length, 0);
    }
  }
  return Tensor.fromData(mask, maskShape);
}

/** y = x ⊙ M for a drawn 0/1 hole mask M shared by the channels; dX = dY ⊙ M. */
export const cutoutOp = defineOp({
  name: 'cutout',
  forward: (x: Tensor, mask: Tensor) => ({ output: multiplyByMask('cutout', x, mask), saved: mask }),
  backward: (mask, gradOutput) => [multiplyByMask('cutout', gradOutput, mask), null],
});

function applyCutout(x: Tensor, length: number, options: CutoutOptions): Noise {
  const mask = cutoutMask(x, length, options);
  return { output: cutoutOp(x, mask), mask };
}

export function cutout(x: Tensor, length = 16, options: CutoutOptions = {}): Tensor {
  const training = isTraining('cutout', options, cutoutOptionKeys);
  checkArguments('cutout', length, options);
  imageBatchShape('cutout', x);
  return training ? applyCutout(x, length, options).output : x;
}

/** Cutout as a layer: applied in training, the identity in eval. */
export class Cutout extends NoiseLayer {
  constructor(
    readonly length = 16,
    readonly options: DropLayerOptions<CutoutOptions> = {},
  ) {
    super();
    checkLayerOptions('Cutout', options, cutoutOptionKeys);
    checkArguments('Cutout', length, options);
  }

  protected override checkInput(x: Tensor): void {
    imageBatchShape('Cutout', x);
  }

  protected applyNoise(x: Tensor): Noise {
    return applyCutout(x, this.length, this.options);
  }

  protected isIdentity(): boolean {
    return false;
  }

  protected override describe(): string {
    return `length=${this.length}, holes=${this.options.holes ?? 1}`;
  }
}
