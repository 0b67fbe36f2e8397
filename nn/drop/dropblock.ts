/**
 * DropBlock (Ghiasi, Lin & Le 2018): drops contiguous block_size × block_size regions of a
 * feature map, so a conv net cannot route around the loss of one pixel through its neighbours.
 *
 *   γ = (1 − keep_prob) / block_size² · (H·W) / ((H − block_size + 1)(W − block_size + 1))
 *   seeds ~ Bernoulli(γ) at the (H − b + 1)(W − b + 1) positions where a whole block fits
 *   M = 1 − maxpool_b(seeds)                 (kernels/dropblock-mask.ts)
 *   forward:  y = x ⊙ M · count(M) / count_ones(M)
 *   backward: dX = dY ⊙ M · count(M) / count_ones(M)
 *
 * γ's first factor turns the drop rate per unit into a rate per block; the second corrects for
 * seeds only being placed in the valid region. A block larger than the map is clipped to the map
 * (as timm does). When every unit is dropped (always at dropProb = 1, by chance otherwise) the
 * output is zeros: count/count_ones is taken as 0.
 * The mask is shared across channels by default (the paper's choice); `perChannel` draws one per
 * channel and `batchwise` one for the whole batch.
 */
import { Tensor } from '../../lib/tensor';
import { allocate } from '../../lib/dtype';
import { formatShape, sizeOf } from '../../lib/shape';
import { defaultGenerator } from '../../lib/random/generator';
import { expandSeedsToBlocks } from '../../kernels/dropblock-mask';
import { DropOptions, NoiseLayer, applyNoise } from './noise-layer';
import { checkPositiveInteger, checkProbability } from './validate';

export interface DropBlockConfig extends DropOptions {
  /** Probability of dropping a unit (give this or keepProb; default 0.1). */
  dropProb?: number;
  /** 1 − dropProb, the paper's parameter (0.9 recommended, with a linear schedule). */
  keepProb?: number;
  /** Side of the square blocks (default 7, the paper's choice on ImageNet). */
  blockSize?: number;
  /** One mask per channel instead of one shared by all channels of a sample (default false). */
  perChannel?: boolean;
  /** One mask for the whole batch instead of one per sample (default false). */
  batchwise?: boolean;
}

export interface DropBlockFunctionalOptions extends DropBlockConfig {
  /** Apply the mask (default true); false is the identity, as in evaluation. */
  training?: boolean;
}

interface ResolvedConfig {
  dropProb: number;
  blockSize: number;
  perChannel: boolean;
  batchwise: boolean;
}

function resolve(where: string, config: DropBlockConfig): ResolvedConfig {
  if (config.dropProb !== undefined && config.keepProb !== undefined && Math.abs(config.dropProb + config.keepProb - 1) > 1e-12) {
    throw new RangeError(`${where}: dropProb ${config.dropProb} and keepProb ${config.keepProb} disagree (give one of them)`);
  }
  const dropProb = config.dropProb ?? (config.keepProb !== undefined ? 1 - checkProbability(where, 'keepProb', config.keepProb) : 0.1);
  return {
    dropProb: checkProbability(where, 'dropProb', dropProb),
    blockSize: checkPositiveInteger(where, 'blockSize', config.blockSize ?? 7),
    perChannel: config.perChannel ?? false,
    batchwise: config.batchwise ?? false,
  };
}

/** The paper's seed rate γ for a map of H×W, with the block clipped to the map. */
export function dropBlockGamma(dropProb: number, blockSize: number, height: number, width: number): number {
  const b = Math.min(blockSize, height, width);
  return (dropProb / (b * b)) * ((height * width) / ((height - b + 1) * (width - b + 1)));
}

/** Draws the scaled DropBlock mask for a [N,C,H,W] input (shape [N|1, C|1, H, W]). */
export function dropBlockMask(x: Tensor, config: DropBlockConfig = {}): Tensor {
  const { dropProb, blockSize, perChannel, batchwise } = resolve('dropBlock2d', config);
  if (x.ndim !== 4) throw new RangeError(`dropBlock2d: input must be [N,C,H,W], got ${formatShape(x.shape)}`);
  const [n, c, height, width] = x.shape;
  const b = Math.min(blockSize, height, width);
  // dropProb = 1 means "drop everything"; the paper's γ would still leave gaps, so say it directly.
  const gamma = dropProb === 1 ? 1 : Math.min(1, dropBlockGamma(dropProb, blockSize, height, width));
  const shape = [batchwise ? 1 : n, perChannel ? c : 1, height, width];
  const planes = shape[0] * shape[1];
  const generator = config.generator ?? defaultGenerator;

  const seeds = new Uint8Array(sizeOf(shape));
  for (let plane = 0; plane < planes; plane++) {
    for (let i = 0; i <= height - b; i++) {
      for (let j = 0; j <= width - b; j++) seeds[plane * height * width + i * width + j] = generator.random() < gamma ? 1 : 0;
    }
  }
  const mask = allocate(x.dtype, seeds.length);
  expandSeedsToBlocks(seeds, planes, height, width, b, mask);
  let kept = 0;
  for (let i = 0; i < mask.length; i++) {
    mask[i] = 1 - mask[i];
    kept += mask[i];
  }
  const scale = kept === 0 ? 0 : mask.length / kept;
  for (let i = 0; i < mask.length; i++) mask[i] *= scale;
  return Tensor.fromData(mask, shape);
}

export function dropBlock2d(x: Tensor, options: DropBlockFunctionalOptions = {}): Tensor {
  const { dropProb } = resolve('dropBlock2d', options);
  return applyNoise(x, (options.training ?? true) && dropProb > 0, (t) => dropBlockMask(t, options));
}

export class DropBlock2d extends NoiseLayer {
  /** Current drop probability; a DropBlockScheduler moves it during training. */
  dropProb: number;
  readonly blockSize: number;
  readonly config: DropBlockConfig;

  constructor(config: DropBlockConfig = {}) {
    super();
    const resolved = resolve('DropBlock2d', config);
    this.dropProb = resolved.dropProb;
    this.blockSize = resolved.blockSize;
    this.config = config;
  }

  get keepProb(): number {
    return 1 - this.dropProb;
  }

  set keepProb(value: number) {
    this.dropProb = 1 - checkProbability('DropBlock2d', 'keepProb', value);
  }

  sampleMask(x: Tensor): Tensor {
    return dropBlockMask(x, { ...this.config, keepProb: undefined, dropProb: this.dropProb, blockSize: this.blockSize });
  }

  protected isIdentity(): boolean {
    return this.dropProb === 0;
  }

  protected override describe(): string {
    return `dropProb=${this.dropProb}, blockSize=${this.blockSize}`;
  }
}
