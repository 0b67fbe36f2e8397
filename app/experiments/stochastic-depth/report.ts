import type { Summary } from '../../statistics/welch';
import type { DepthConfig } from './config';

export interface DepthVariantResult {
  name: string;
  settings: string;
  testAcc: Summary;
  /** Running training accuracy over the last epoch (with the noise on). */
  trainAcc: Summary;
  /** Mean seconds per epoch of each run, in seed order. */
  secondsPerEpoch: Summary;
  /** Share of residual branches skipped over all training steps. */
  skippedBranches: number;
}

export interface StochasticDepthReport {
  config: DepthConfig & { data: string; trainExamples: number; testExamples: number; residualBlocks: number; jobs: number };
  baseline: DepthVariantResult;
  stochasticDepth: DepthVariantResult;
  /** 1 − (SD's seconds per epoch)/(baseline's): the share of training time saved. */
  timeSaving: number;
  /** (1 − p_L)(L + 1)/(2L): the share of residual branches stochastic depth is expected to skip. */
  expectedSkipped: number;
  /** Welch's p of SD's test accuracy against the baseline's (null with one seed). */
  accuracyPValue: number | null;
  /** Welch's p of the per-run seconds per epoch. */
  timePValue: number | null;
}
