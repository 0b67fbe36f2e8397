/**
 * SGD with momentum, dampening, Nesterov and L2 weight decay, exactly as torch.optim.SGD:
 *   g ← ∇ + λ·θ
 *   b ← g (first step), else μ·b + (1 − τ)·g
 *   g ← g + μ·b (Nesterov) or b (momentum)
 *   θ ← θ − lr·g
 */
import type { Tensor } from '../../lib/tensor';
import type { TypedArray } from '../../base/dtype';
import { checkNonNegative } from '../../lib/validate';
import { Optimizer } from './optimizer';
import { checkBoolean, checkOptions, optionKeys } from '../../lib/validate';

export interface SGDOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
}
const sgdOptionKeys = optionKeys<SGDOptions>({ lr: true, momentum: true, dampening: true, nesterov: true, weightDecay: true });

export class SGD extends Optimizer {
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
  protected readonly bufferNames = ['momentum'];

  constructor(params: Iterable<Tensor>, options: SGDOptions) {
    super(params, checkOptions(new.target.name, options, sgdOptionKeys, 'an object with at least lr').lr);
    this.momentum = checkNonNegative('SGD', 'momentum', options.momentum ?? 0);
    this.dampening = checkNonNegative('SGD', 'dampening', options.dampening ?? 0);
    this.weightDecay = checkNonNegative('SGD', 'weightDecay', options.weightDecay ?? 0);
    this.nesterov = checkBoolean('SGD', 'nesterov', options.nesterov ?? false);
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) {
      throw new RangeError(
        `SGD: Nesterov momentum requires momentum > 0 and dampening 0, got momentum ${this.momentum}, dampening ${this.dampening}`,
      );
    }
  }

  protected update(param: TypedArray, grad: TypedArray, index: number): void {
    const { lr, momentum, dampening, nesterov, weightDecay } = this;
    const first = this.stepCount === 1;
    const buf = momentum !== 0 ? this.buffer('momentum', index) : null;
    for (let k = 0; k < param.length; k++) {
      let g = grad[k] + weightDecay * param[k];
      if (buf) {
        buf[k] = first ? g : momentum * buf[k] + (1 - dampening) * g;
        g = nesterov ? g + momentum * buf[k] : buf[k];
      }
      param[k] -= lr * g;
    }
  }
}
