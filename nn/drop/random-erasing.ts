/**
 * Random Erasing (Zhong et al. 2020), with torchvision's sampling: with probability p, pick a
 * rectangle of area s·H·W (s ~ U(scale)) and aspect ratio r (log r ~ U(log ratio)), placed
 * uniformly where it fits, and overwrite it in every channel with `value` (a number, or 'random'
 * for standard normal noise). Up to 10 tries to find a rectangle that fits; else the image is
 * left unchanged.
 *
 *   forward:  y = x ⊙ M + v ⊙ (1 − M)     (M = 0 inside the rectangle: the keep mask)
 *   backward: dX = dY ⊙ M                 (the fill v ⊙ (1 − M) does not depend on x)
 */
import { Tensor } from '../../lib/tensor';
import { allocate } from '../../base/dtype';
import { defineOp } from '../../lib/define-op';
import { mapBinary } from '../../lib/ops/elementwise';
import { type Generator, generatorOf } from '../../lib/random/generator';
import { checkProbability, optionKeys } from '../../lib/validate';
import { checkLayerOptions, type DropLayerOptions, type DropOptions, isTraining, type Noise, NoiseLayer } from './noise-layer';
import { multiplyByMask } from './mask-product';
import { fillRect, imageBatchShape } from './cutout';

export interface RandomErasingOptions extends DropOptions {
  /** Range of the erased area as a fraction of the image (default [0.02, 0.33]). */
  scale?: readonly [number, number];
  /** Range of the rectangle's aspect ratio h/w (default [0.3, 3.3]). */
  ratio?: readonly [number, number];
  /** Fill value: a number (default 0) or 'random' for N(0, 1) noise per element. */
  value?: number | 'random';
}
const randomErasingOptionKeys = optionKeys<RandomErasingOptions>({
  training: true,
  generator: true,
  scale: true,
  ratio: true,
  value: true,
});

interface Rect {
  top: number;
  left: number;
  h: number;
  w: number;
}

function checkRange(where: string, name: string, range: readonly [number, number], positive: boolean): void {
  const [lo, hi] = range;
  if (!(lo <= hi) || (positive ? !(lo > 0) : !(lo >= 0))) {
    throw new RangeError(
      `${where}: ${name} must be an ordered pair${positive ? ' of positive numbers' : ' in [0, 1]'}, got [${lo}, ${hi}]`,
    );
  }
}

interface Checked {
  scale: readonly [number, number];
  ratio: readonly [number, number];
  value: number | 'random';
}

function validate(where: string, p: number, options: RandomErasingOptions): Checked {
  checkProbability(where, 'p', p);
  const scale = options.scale ?? [0.02, 0.33];
  const ratio = options.ratio ?? [0.3, 3.3];
  checkRange(where, 'scale', scale, false);
  if (scale[1] > 1) throw new RangeError(`${where}: scale must be an ordered pair in [0, 1], got [${scale[0]}, ${scale[1]}]`);
  checkRange(where, 'ratio', ratio, true);
  const value = options.value ?? 0;
  if (value !== 'random' && !Number.isFinite(value))
    throw new RangeError(`${where}: value must be a finite number or 'random', got ${String(value)}`);
  return { scale, ratio, value };
}

/** torchvision's RandomErasing.get_params: a rectangle that fits, or null after 10 tries. */
function sampleRect(
  height: number,
  width: number,
  scale: readonly [number, number],
  ratio: readonly [number, number],
  g: Generator,
): Rect | null {
  const area = height * width;
  const [logLo, logHi] = [Math.log(ratio[0]), Math.log(ratio[1])];
  for (let attempt = 0; attempt < 10; attempt++) {
    const eraseArea = area * g.uniform(scale[0], scale[1]);
    const aspect = Math.exp(g.uniform(logLo, logHi));
    const h = Math.round(Math.sqrt(eraseArea * aspect));
    const w = Math.round(Math.sqrt(eraseArea / aspect));
    if (!(h < height && w < width) || h === 0 || w === 0) continue;
    return { top: g.integer(0, height - h + 1), left: g.integer(0, width - w + 1), h, w };
  }
  return null;
}

/** The keep mask M ([N,1,H,W] or [1,H,W]) and the fill v ⊙ (1 − M) (x's shape), for one draw. */
export function randomErasingMasks(x: Tensor, p: number, options: RandomErasingOptions = {}): { keep: Tensor; fill: Tensor } {
  const { scale, ratio, value } = validate('randomErasing', p, options);
  const { images, height, width, maskShape } = imageBatchShape('randomErasing', x);
  const g = generatorOf('randomErasing', options.generator);
  const keep = allocate(x.dtype, images * height * width).fill(1);
  for (let image = 0; image < images; image++) {
    if (g.random() >= p) continue;
    const rect = sampleRect(height, width, scale, ratio, g);
    if (rect) fillRect(keep, image, height, width, rect.top, rect.left, rect.h, rect.w, 0);
  }
  const channels = x.shape[x.ndim - 3];
  const fill = allocate(x.dtype, x.numel);
  const area = height * width;
  for (let i = 0; i < fill.length; i++) {
    const image = Math.floor(i / (channels * area));
    if (keep[image * area + (i % area)] === 0) fill[i] = value === 'random' ? g.normal() : value;
  }
  return { keep: Tensor.fromData(keep, maskShape), fill: Tensor.fromData(fill, x.shape) };
}

/** y = x ⊙ M + fill for a drawn keep mask M and fill v ⊙ (1 − M); dX = dY ⊙ M. */
export const randomErasingOp = defineOp({
  name: 'randomErasing',
  forward: (x: Tensor, keep: Tensor, fill: Tensor) => {
    const kept = multiplyByMask('randomErasing', x, keep);
    return { output: mapBinary(kept, fill, (k, f) => k + f, 'randomErasing'), saved: keep };
  },
  backward: (keep, gradOutput) => [multiplyByMask('randomErasing', gradOutput, keep), null, null],
});

function applyRandomErasing(x: Tensor, p: number, options: RandomErasingOptions): Noise {
  const { keep, fill } = randomErasingMasks(x, p, options);
  return { output: randomErasingOp(x, keep, fill), mask: keep };
}

export function randomErasing(x: Tensor, p = 0.5, options: RandomErasingOptions = {}): Tensor {
  const training = isTraining('randomErasing', options, randomErasingOptionKeys);
  validate('randomErasing', p, options);
  imageBatchShape('randomErasing', x);
  return training && p > 0 ? applyRandomErasing(x, p, options).output : x;
}

/** RandomErasing as a layer: applied in training, the identity in eval. `lastMask` is the keep mask. */
export class RandomErasing extends NoiseLayer {
  constructor(
    readonly p = 0.5,
    readonly options: DropLayerOptions<RandomErasingOptions> = {},
  ) {
    super();
    checkLayerOptions('RandomErasing', options, randomErasingOptionKeys);
    validate('RandomErasing', p, options);
  }

  protected override checkInput(x: Tensor): void {
    imageBatchShape('RandomErasing', x);
  }

  protected applyNoise(x: Tensor): Noise {
    return applyRandomErasing(x, this.p, this.options);
  }

  protected isIdentity(): boolean {
    return this.p === 0;
  }

  protected override describe(): string {
    return `p=${this.p}`;
  }
}
