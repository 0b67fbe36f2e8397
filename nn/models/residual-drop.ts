/**
 * How a residual block applies stochastic depth (Huang et al. 2016) to its branch f(x):
 *
 *   training, 'batch' mode: b ~ Bernoulli(p_l) once per step. b = 0 → H = ReLU(id(x)) and f is
 *     never run (no forward, no backward: the paper's training-time saving). b = 1 → f(x) is
 *     used, divided by p_l under the inverted convention.
 *   training, 'row' mode: one b per sample (f runs for the whole batch, masked per sample).
 *   evaluation: the paper's convention scales the branch, H = ReLU(p_l·f(x) + id(x)); the
 *     inverted convention (timm/torchvision) already scaled in training, so H = ReLU(f(x) + id(x)).
 */
import type { Tensor } from '../../lib/tensor';
import { add, mul } from '../../lib/ops/arithmetic';
import { relu } from '../../lib/ops/activations';
import { type Generator, generatorOf } from '../../lib/random/generator';
import { type DropPathMode, checkDropPathMode, dropPath, sampleSurvival } from '../drop/drop-path';
import { checkOptions, checkProbability, optionKeys } from '../../lib/validate';

export type DepthConvention = 'inverted' | 'paper';

export interface StochasticDepthOptions {
  /** p_l, the probability that this block's branch survives a training step (default 1: always). */
  survivalProb?: number;
  /** 'batch' (default: one draw per step, dropped branches are skipped) or 'row' (per sample). */
  mode?: DropPathMode;
  /** 'inverted' (default: divide by p_l in training) or 'paper' (scale by p_l at test). */
  convention?: DepthConvention;
  generator?: Generator | null;
}
export const stochasticDepthOptionKeys = optionKeys<StochasticDepthOptions>({
  survivalProb: true,
  mode: true,
  convention: true,
  generator: true,
});

export class ResidualDrop {
  readonly survivalProb: number;
  readonly mode: DropPathMode;
  readonly convention: DepthConvention;
  readonly generator: Generator;
  /** Whether the branch was dropped in the last training forward ('batch' mode). */
  lastDropped = false;

  constructor(options: StochasticDepthOptions = {}) {
    checkOptions('stochastic depth', options, stochasticDepthOptionKeys);
    this.survivalProb = checkProbability('stochastic depth', 'survivalProb', options.survivalProb ?? 1);
    this.mode = checkDropPathMode('stochastic depth', options.mode ?? 'batch');
    this.convention = options.convention ?? 'inverted';
    if (this.convention !== 'inverted' && this.convention !== 'paper') {
      throw new RangeError(`stochastic depth: convention must be 'inverted' or 'paper', got ${JSON.stringify(this.convention)}`);
    }
    this.generator = generatorOf('stochastic depth', options.generator);
  }

  /**
   * ReLU(branch-with-stochastic-depth + identity). `branch` is only called if it survives. The
   * tensors made on the way (the branch's output, scaled or masked, and the sum) are pushed onto
   * `made`, for a built-in block to give back (nn/models/residual-block.ts).
   */
  combine(x: Tensor, identity: Tensor, branch: (x: Tensor) => Tensor, training: boolean, made: Tensor[] = []): Tensor {
    const p = this.survivalProb;
    this.lastDropped = false;
    const keep = (t: Tensor): Tensor => {
      made.push(t);
      return t;
    };
    if (!training || p === 1) {
      const residual = keep(branch(x));
      return relu(keep(add(!training && this.convention === 'paper' && p !== 1 ? keep(mul(residual, p)) : residual, identity)));
    }
    const scaleByKeep = this.convention === 'inverted';
    if (this.mode === 'batch') {
      if (!sampleSurvival(p, this.generator)) {
        this.lastDropped = true;
        return relu(identity);
      }
      const residual = keep(branch(x));
      return relu(keep(add(scaleByKeep ? keep(mul(residual, 1 / p)) : residual, identity)));
    }
    const residual = keep(branch(x));
    const masked = keep(dropPath(residual, 1 - p, { mode: 'row', scaleByKeep, generator: this.generator }));
    return relu(keep(add(masked, identity)));
  }

  describe(): string {
    return this.survivalProb === 1 ? '' : `, survivalProb=${this.survivalProb}, mode=${this.mode}, convention=${this.convention}`;
  }
}
