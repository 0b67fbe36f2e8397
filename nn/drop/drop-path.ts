/**
 * DropPath / Stochastic Depth (Huang et al. 2016): drop a residual branch as a whole, so the
 * network trains as an ensemble of shallower networks. Apply it to the branch output f(x) before
 * it is added to the identity path.
 *
 *   'row' mode (per sample, as timm/torchvision):  y[n] = f(x)[n] · b[n] / s,  b[n] ~ Bernoulli(1 − p)
 *   'batch' mode (the paper: one draw per step):   y = f(x) · b / s,           b ~ Bernoulli(1 − p)
 *   with s = 1 − p when scaleByKeep (inverted: identity at test), else s = 1
 *   backward: dX = dY · b / s   (b is drawn, not a function of x)
 *
 * The paper's own convention (no scaling in training, branch multiplied by its survival
 * probability at test) is `scaleByKeep: false` here plus the test-time scaling the ResNet blocks
 * do (nn/models). In 'batch' mode a dropped branch need not be computed at all — the blocks use
 * `sampleSurvival` to decide before running it.
 */
import { Tensor } from '../../lib/tensor';
import { defineOp } from '../../lib/define-op';
import { allocate } from '../../base/dtype';
import { defaultGenerator, type Generator, generatorOf } from '../../lib/random/generator';
import { checkProbability, optionKeys } from '../../lib/validate';
import { type DropLayerOptions, type DropOptions, isTraining, type Noise, RateNoiseLayer } from './noise-layer';
import { multiplyByMask } from './mask-product';

export type DropPathMode = 'row' | 'batch';

export interface DropPathOptions extends DropOptions {
  /** 'row': one draw per sample (default); 'batch': one draw for the whole batch. */
  mode?: DropPathMode;
  /** Divide kept branches by the survival probability 1 − p (default true). */
  scaleByKeep?: boolean;
}
const dropPathOptionKeys = optionKeys<DropPathOptions>({ training: true, generator: true, mode: true, scaleByKeep: true });

/** Survival probability of block l of L under the paper's linear decay: p_l = 1 − (l/L)(1 − p_L). */
export function linearSurvival(l: number, L: number, pL: number): number {
  if (!Number.isInteger(l) || !Number.isInteger(L) || L < 1 || l < 0 || l > L) {
    throw new RangeError(`linearSurvival: expected integers 0 ≤ l ≤ L with L ≥ 1, got l=${l}, L=${L}`);
  }
  checkProbability('linearSurvival', 'pL', pL);
  return 1 - (l / L) * (1 - pL);
}

/** One Bernoulli draw: does the branch survive this step? */
export function sampleSurvival(survivalProb: number, generator: Generator = defaultGenerator): boolean {
  return generator.random() < survivalProb;
}

/** The one check of a drop-path mode, for dropPath, nn.DropPath and the residual blocks. */
export function checkDropPathMode(where: string, mode: string): DropPathMode {
  if (mode !== 'row' && mode !== 'batch') throw new RangeError(`${where}: mode must be 'row' or 'batch', got ${JSON.stringify(mode)}`);
  return mode;
}

function checkInput(x: Tensor): void {
  if (x.ndim === 0) throw new RangeError('dropPath: input must have a batch dimension (at least 1-D, [N, …]), got a 0-d tensor');
}

/** The scaled keep mask: shape [N,1,…,1] in 'row' mode, [1,…,1] in 'batch' mode. */
export function dropPathMask(x: Tensor, p: number, options: DropPathOptions = {}): Tensor {
  checkProbability('dropPath', 'p', p);
  const mode = checkDropPathMode('dropPath', options.mode ?? 'row');
  checkInput(x);
  const generator = generatorOf('dropPath', options.generator);
  const scale = (options.scaleByKeep ?? true) ? (p === 1 ? 0 : 1 / (1 - p)) : 1;
  const shape = x.shape.map((d, i) => (i === 0 && mode === 'row' ? d : 1));
  const mask = allocate(x.dtype, mode === 'row' ? x.shape[0] : 1);
  for (let i = 0; i < mask.length; i++) mask[i] = sampleSurvival(1 - p, generator) ? scale : 0;
  return Tensor.fromData(mask, shape);
}

/** y = x ⊙ m for a drawn per-sample (or per-batch) mask m = b/s; dX = dY ⊙ m. */
export const dropPathOp = defineOp({
  name: 'dropPath',
  forward: (x: Tensor, mask: Tensor) => ({ output: multiplyByMask('dropPath', x, mask), saved: mask }),
  backward: (mask, gradOutput) => [multiplyByMask('dropPath', gradOutput, mask), null],
});

function applyDropPath(x: Tensor, p: number, options: DropPathOptions): Noise {
  const mask = dropPathMask(x, p, options);
  return { output: dropPathOp(x, mask), mask };
}

export function dropPath(x: Tensor, p = 0.1, options: DropPathOptions = {}): Tensor {
  const training = isTraining('dropPath', options, dropPathOptionKeys);
  checkProbability('dropPath', 'p', p);
  checkDropPathMode('dropPath', options.mode ?? 'row');
  checkInput(x);
  return training && p > 0 ? applyDropPath(x, p, options).output : x;
}

/** Layer form of dropPath (also exported as StochasticDepth). */
export class DropPath extends RateNoiseLayer {
  static override functionalOptionKeys = dropPathOptionKeys;

  constructor(
    p = 0.1,
    override readonly options: DropLayerOptions<DropPathOptions> = {},
  ) {
    super(p, options);
    checkDropPathMode('DropPath', options.mode ?? 'row');
  }

  protected override checkInput(x: Tensor): void {
    checkInput(x);
  }

  protected applyNoise(x: Tensor): Noise {
    return applyDropPath(x, this.p, this.options);
  }

  protected override describe(): string {
    return `p=${this.p}, mode=${this.options.mode ?? 'row'}`;
  }
}
