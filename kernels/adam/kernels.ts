/**
 * The Adam kernel interface: one step of Adam's rule (nn/optim/adam.ts) over a list of parameters
 * at once, each parameter's values, exp_avg and exp_avg_sq updated in place from its gradient. The
 * optimizer computes the factors every element shares; a kernel applies, for each element, in
 * float64 and in this order (so that every backend's float32 results are bitwise the same):
 *
 *   θ ← θ·decay;  g ← ∇ + λ·θ;  m ← β₁·m + (1 − β₁)·g;  v ← β₂·v + ((1 − β₂)·g)·g;
 *   θ ← θ − (stepSize·m) / (√v / √(1 − β₂ᵗ) + ε)
 */
import type { TypedArray } from '../../base/dtype';

/** One parameter's arrays, all of its length and dtype. */
export interface AdamSlot {
  readonly param: TypedArray;
  readonly grad: TypedArray;
  readonly expAvg: TypedArray;
  readonly expAvgSq: TypedArray;
}

/** The constants of one step, in the order the wasm kernel's float64 table holds them. */
export interface AdamFactors {
  readonly beta1: number;
  readonly oneMinusBeta1: number;
  readonly beta2: number;
  readonly oneMinusBeta2: number;
  /** lr / (1 − β₁ᵗ). */
  readonly stepSize: number;
  /** √(1 − β₂ᵗ). */
  readonly sqrtCorrection2: number;
  /** AdamW's 1 − lr·λ, else 1. */
  readonly decay: number;
  /** Adam's L2 penalty λ, else 0. */
  readonly l2: number;
  readonly eps: number;
}

/** What a step's factors come from: the optimizer's settings and its step count t. */
export interface AdamSettings {
  readonly lr: number;
  readonly betas: readonly [number, number];
  readonly eps: number;
  readonly weightDecay: number;
  /** AdamW: weight decay scales θ instead of entering the gradient. */
  readonly decoupledDecay: boolean;
  readonly step: number;
}

/**
 * The factors every element shares, computed once, in the order torch.optim.Adam uses (step size
 * lr/(1 − β₁ᵗ), then √v / √(1 − β₂ᵗ) + ε): the kernel is left with one square root and one division
 * per element, and rounds as PyTorch does.
 */
export function adamFactors({ lr, betas, eps, weightDecay, decoupledDecay, step }: AdamSettings): AdamFactors {
  const [beta1, beta2] = betas;
  return {
    beta1,
    oneMinusBeta1: 1 - beta1,
    beta2,
    oneMinusBeta2: 1 - beta2,
    stepSize: lr / (1 - beta1 ** step),
    sqrtCorrection2: Math.sqrt(1 - beta2 ** step),
    // AdamW's decay is a plain scaling of θ; Adam's L2 penalty goes into the gradient (λ = 0: none).
    decay: decoupledDecay ? 1 - lr * weightDecay : 1,
    l2: decoupledDecay ? 0 : weightDecay,
    eps,
  };
}

export const adamFactorNames: readonly (keyof AdamFactors)[] = [
  'beta1',
  'oneMinusBeta1',
  'beta2',
  'oneMinusBeta2',
  'stepSize',
  'sqrtCorrection2',
  'decay',
  'l2',
  'eps',
];

export interface AdamKernels {
  /** Updates every slot's param, expAvg and expAvgSq in place. No two slots may share memory that is written. */
  step(slots: readonly AdamSlot[], factors: AdamFactors): void;
}
