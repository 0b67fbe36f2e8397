/**
 * DropBlock (Ghiasi, Lin & Le 2018): drops contiguous block_size × block_size regions of a
 * feature map, so a conv net cannot route around the loss of one pixel through its neighbours.
 * With p the probability of dropping a unit (the paper's 1 − keep_prob):
 *
 *   γ = p / block_size² · (H·W) / ((H − block_size + 1)(W − block_size + 1))
 *   seeds ~ Bernoulli(γ) at the (H − b + 1)(W − b + 1) positions where a whole block fits
 *   M = 1 − maxpool_b(seeds)                 (kernels/dropblock-mask.ts)
 *   forward:  y = x ⊙ M · count(M) / count_ones(M)
 *   backward: dX = dY ⊙ M · count(M) / count_ones(M)   (M and the count are drawn, not functions of x)
 *
 * γ's first factor turns the drop rate per unit into a rate per block; the second corrects for
 * seeds only being placed in the valid region. A block larger than the map is clipped to the map
 * (as timm does). When every unit is dropped (always at p = 1, by chance otherwise) the output is
 * zeros: count/count_ones is taken as 0.
 * One mask per (sample, channel) by default, as in the authors' code and torchvision's
 * drop_block2d; `sharedAcrossChannels` draws one per sample for all its channels (the tutorial's
 * code) and `batchwise` the same mask(s) for every sample of the batch.
 */
import { Tensor } from '../../lib/tensor';
import { defineOp } from '../../lib/define-op';
import { allocate } from '../../base/dtype';
import { formatShape, sizeOf } from '../../base/shape';
import { generatorOf } from '../../lib/random/generator';
import { checkPositiveInteger, checkProbability, optionKeys } from '../../lib/validate';
import { expandSeedsToBlocks } from '../../kernels/dropblock-mask';
import { checkLayerOptions, type DropLayerOptions, type DropOptions, isTraining, type Noise, NoiseLayer } from './noise-layer';
import { multiplyByMask } from './mask-product';

export interface DropBlock2dOptions extends DropOptions {
  /** Side of the square blocks (default 7, the paper's choice on ImageNet). */
  blockSize?: number;
  /** One mask per sample shared by all its channels, instead of one per (sample, channel) (default false). */
  sharedAcrossChannels?: boolean;
  /** The same mask(s) for every sample of the batch instead of new ones per sample (default false). */
  batchwise?: boolean;
}
const dropBlock2dOptionKeys = optionKeys<DropBlock2dOptions>({
  training: true,
  generator: true,
  blockSize: true,
  sharedAcrossChannels: true,
  batchwise: true,
});

function checkBlockSize(where: string, options: DropBlock2dOptions): number {
  return checkPositiveInteger(where, 'blockSize', options.blockSize ?? 7);
}

function checkInput(x: Tensor): void {
  if (x.ndim !== 4) throw new RangeError(`dropBlock2d: input must be [N,C,H,W], got ${formatShape(x.shape)}`);
}

/** The paper's seed rate γ for a map of H×W, with the block clipped to the map. */
export function dropBlockGamma(p: number, blockSize: number, height: number, width: number): number {
  const b = Math.min(blockSize, height, width);
  return (p / (b * b)) * ((height * width) / ((height - b + 1) * (width - b + 1)));
}

/** Draws the scaled DropBlock mask for a [N,C,H,W] input (shape [N|1, C|1, H, W]). */
export function dropBlockMask(x: Tensor, p: number, options: DropBlock2dOptions = {}): Tensor {
  checkProbability('dropBlock2d', 'p', p);
  const blockSize = checkBlockSize('dropBlock2d', options);
  checkInput(x);
  const [n, c, height, width] = x.shape;
  const b = Math.min(blockSize, height, width);
  // p = 1 means "drop everything"; the paper's γ would still leave gaps, so say it directly.
  const gamma = p === 1 ? 1 : Math.min(1, dropBlockGamma(p, blockSize, height, width));
  const shape = [options.batchwise ? 1 : n, options.sharedAcrossChannels ? 1 : c, height, width];
  const planes = shape[0] * shape[1];
  const generator = generatorOf('dropBlock2d', options.generator);

  const area = height * width;
  const seeds = new Uint8Array(sizeOf(shape));
  for (let plane = 0; plane < planes; plane++) {
    for (let i = 0; i <= height - b; i++) {
      const row = plane * area + i * width;
      generator.fillBernoulli(seeds, gamma, 1, 0, row, row + width - b + 1);
    }
  }
  const dropped = new Uint8Array(seeds.length);
  expandSeedsToBlocks(seeds, planes, height, width, b, dropped);
  let kept = 0;
  for (let i = 0; i < dropped.length; i++) kept += 1 - dropped[i];
  const scale = kept === 0 ? 0 : dropped.length / kept;
  const mask = allocate(x.dtype, dropped.length);
  for (let i = 0; i < dropped.length; i++) mask[i] = dropped[i] === 1 ? 0 : scale;
  return Tensor.fromData(mask, shape);
}

/** y = x ⊙ m for a drawn block mask m = M·count/kept; dX = dY ⊙ m. */
export const dropBlock2dOp = defineOp({
  name: 'dropBlock2d',
  forward: (x: Tensor, mask: Tensor) => ({ output: multiplyByMask('dropBlock2d', x, mask), saved: mask }),
  backward: (mask, gradOutput) => [multiplyByMask('dropBlock2d', gradOutput, mask), null],
});

function applyDropBlock2d(x: Tensor, p: number, options: DropBlock2dOptions): Noise {
  const mask = dropBlockMask(x, p, options);
  return { output: dropBlock2dOp(x, mask), mask };
}

export function dropBlock2d(x: Tensor, p = 0.1, options: DropBlock2dOptions = {}): Tensor {
  const training = isTraining('dropBlock2d', options, dropBlock2dOptionKeys);
  checkProbability('dropBlock2d', 'p', p);
  checkBlockSize('dropBlock2d', options);
  checkInput(x);
  return training && p > 0 ? applyDropBlock2d(x, p, options).output : x;
}

export class DropBlock2d extends NoiseLayer {
  private dropProbability: number;
  readonly blockSize: number;

  constructor(
    p = 0.1,
    readonly options: DropLayerOptions<DropBlock2dOptions> = {},
  ) {
    super();
    checkLayerOptions('DropBlock2d', options, dropBlock2dOptionKeys);
    this.dropProbability = checkProbability('DropBlock2d', 'p', p);
    this.blockSize = checkBlockSize('DropBlock2d', options);
  }

  /** Current drop probability; a DropBlockScheduler moves it during training (as 1 − keep_prob). */
  get p(): number {
    return this.dropProbability;
  }

  set p(value: number) {
    this.dropProbability = checkProbability('DropBlock2d', 'p', value);
  }

  protected override checkInput(x: Tensor): void {
    checkInput(x);
  }

  protected applyNoise(x: Tensor): Noise {
    return applyDropBlock2d(x, this.p, this.options);
  }

  protected isIdentity(): boolean {
    return this.p === 0;
  }

  protected override describe(): string {
    return `p=${this.p}, blockSize=${this.blockSize}${this.options.sharedAcrossChannels ? ', sharedAcrossChannels' : ''}`;
  }
}

/**
 * A DropBlock2d from settings that carry p beside the layer's options, as the models' regularizer
 * settings do ({ p, blockSize, … }, and the caller's own keys such as resnet's stages): p goes to
 * the constructor and only the layer's own options to it, so they pass its unknown-key check.
 */
export function dropBlock2dLayer(settings: DropLayerOptions<DropBlock2dOptions> & { p: number }): DropBlock2d {
  const { blockSize, sharedAcrossChannels, batchwise, generator } = settings;
  return new DropBlock2d(settings.p, { blockSize, sharedAcrossChannels, batchwise, generator });
}
