/**
 * Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019), as torch.optim:
 *   Adam:  g ← ∇ + λ·θ                      (L2 penalty through the gradient)
 *   AdamW: θ ← θ·(1 − lr·λ)                 (decoupled decay, not scaled by the moments)
 *   m ← β₁m + (1 − β₁)g,   v ← β₂v + (1 − β₂)g²
 *   θ ← θ − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
 *
 * A step runs the backend's Adam kernel (kernels/adam) once over every parameter that has a
 * gradient: on wasm, with float32 parameters, one call on all threads, bitwise the js loop's floats.
 */
import type { Tensor } from '../../lib/tensor';
import { type TypedArray, allocateForKernels, recycle } from '../../base/dtype';
import { type AdamFactors, type AdamSlot, adamFactors, adamKernels } from '../../kernels/adam';
import { checkNonNegative } from '../../lib/validate';
import { Optimizer, type OptimizerState } from './optimizer';
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

  /**
   * Adam's state may live in the wasm memory, where the wasm kernel updates it in place. Only the
   * optimizer reads it, through buffer(), and no array of it is kept across loadStateDict.
   */
  protected override allocateBuffer(param: Tensor): TypedArray {
    return allocateForKernels(param.dtype, param.numel);
  }

  /**
   * As the base class's, then gives the replaced state's arrays back at once: their wasm blocks
   * would otherwise wait for the collector, which a synchronous loop never lets run.
   */
  override loadStateDict(state: OptimizerState): void {
    const replaced = [...this.buffers.values()].flat();
    super.loadStateDict(state);
    for (const array of replaced) recycle(array);
  }

  /** Every parameter with a gradient in one kernel call (on wasm: one call on all threads). */
  protected override updateAll(grads: readonly (TypedArray | null)[]): void {
    const slots: AdamSlot[] = [];
    grads.forEach((grad, i) => {
      if (grad) slots.push(this.slot(this.params[i].writableStorage(), grad, i));
    });
    adamKernels().step(slots, this.factors());
  }

  /** The rule for one parameter (what the base class's updateAll would call), as a one-slot step. */
  protected update(param: TypedArray, grad: TypedArray, index: number): void {
    adamKernels().step([this.slot(param, grad, index)], this.factors());
  }

  private slot(param: TypedArray, grad: TypedArray, index: number): AdamSlot {
    return { param, grad, expAvg: this.buffer('exp_avg', index), expAvgSq: this.buffer('exp_avg_sq', index) };
  }

  /** This step's factors (kernels/adam/kernels.ts). */
  private factors(): AdamFactors {
    const { lr, betas, eps, weightDecay, decoupledDecay, stepCount } = this;
    return adamFactors({ lr, betas, eps, weightDecay, decoupledDecay, step: stepCount });
  }
}

/** Adam with decoupled weight decay (default 0.01, as PyTorch). */
export class AdamW extends Adam {
  protected override readonly decoupledDecay = true;
}
