/**
 * Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019), as torch.optim:
 *   Adam:  g ← ∇ + λ·θ                      (L2 penalty through the gradient)
 *   AdamW: θ ← θ·(1 − lr·λ)                 (decoupled decay, not scaled by the moments)
 *   m ← β₁m + (1 − β₁)g,   v ← β₂v + (1 − β₂)g²
 *   θ ← θ − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
 */
import type { Tensor } from '../../lib/tensor';
import type { TypedArray } from '../../base/dtype';
import { checkNonNegative } from '../../lib/validate';
import { Optimizer } from './optimizer';
import { checkOptions, checkProbability, optionKeys } from '../../lib/validate';
import { formatValue } from '../../base/shape';

export interface AdamOptions {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
}
const adamOptionKeys = optionKeys<AdamOptions>({ lr: true, betas: true, eps: true, weightDecay: true });

export class Adam extends Optimizer {
  readonly betas: readonly [number, number];
  readonly eps: number;
  readonly weightDecay: number;
  /** AdamW decays the weights directly instead of through the gradient. */
  protected readonly decoupledDecay: boolean = false;
  protected readonly bufferNames = ['exp_avg', 'exp_avg_sq'];
  protected override readonly nonNegativeBuffers = ['exp_avg_sq'];

  constructor(params: Iterable<Tensor>, options: AdamOptions = {}) {
    super(params, checkOptions(new.target.name, options, adamOptionKeys).lr ?? 1e-3);
    const where = new.target.name;
    const betas = options.betas ?? [0.9, 0.999];
    if (!Array.isArray(betas) || betas.length !== 2)
      throw new TypeError(`${where}: betas must be a pair [β₁, β₂], got ${formatValue(betas)}`);
    // A copy, so a later change to the caller's array cannot bypass the check.
    this.betas = [
      checkProbability(where, 'betas[0]', betas[0], { allowOne: false }),
      checkProbability(where, 'betas[1]', betas[1], { allowOne: false }),
    ];
    this.eps = checkNonNegative(where, 'eps', options.eps ?? 1e-8);
    this.weightDecay = checkNonNegative(where, 'weightDecay', options.weightDecay ?? (new.target === AdamW ? 1e-2 : 0));
  }

  protected update(param: TypedArray, grad: TypedArray, index: number): void {
    const { lr, eps, weightDecay, decoupledDecay } = this;
    const [beta1, beta2] = this.betas;
    const m = this.buffer('exp_avg', index);
    const v = this.buffer('exp_avg_sq', index);
    // Every factor that is the same for all elements is computed once, here, in the order
    // torch.optim.Adam uses (step size lr/(1 − β₁ᵗ), then √v / √(1 − β₂ᵗ) + ε): the loop is left
    // with one square root and one division per element, and rounds as PyTorch does.
    const stepSize = lr / (1 - beta1 ** this.stepCount);
    const sqrtCorrection2 = Math.sqrt(1 - beta2 ** this.stepCount);
    // AdamW's decay is a plain scaling of θ; Adam's L2 penalty goes into the gradient (λ = 0: none).
    const decay = decoupledDecay ? 1 - lr * weightDecay : 1;
    const l2 = decoupledDecay ? 0 : weightDecay;
    for (let k = 0; k < param.length; k++) {
      const theta = param[k] * decay;
      const g = grad[k] + l2 * theta;
      const mk = beta1 * m[k] + (1 - beta1) * g;
      const vk = beta2 * v[k] + (1 - beta2) * g * g;
      m[k] = mk;
      v[k] = vk;
      param[k] = theta - (stepSize * mk) / (Math.sqrt(vk) / sqrtCorrection2 + eps);
    }
  }
}

/** Adam with decoupled weight decay (default 0.01, as PyTorch). */
export class AdamW extends Adam {
  protected override readonly decoupledDecay = true;
}
