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
