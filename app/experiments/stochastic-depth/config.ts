import type { DepthConvention } from '../../../nn/models/residual-drop';

export const depthOptimizers = ['adam', 'sgd'] as const;
export type DepthOptimizer = (typeof depthOptimizers)[number];

/** The seeds a study runs, in order. */
export const depthSeeds = (config: Pick<DepthConfig, 'seeds' | 'seedOffset'>): number[] =>
  Array.from({ length: config.seeds }, (_, k) => (config.seedOffset ?? 0) + k);

/** What one `stochastic-depth` experiment trains: the ResNet, stochastic depth's settings, and the training. */
export interface DepthConfig {
  blocks: number;
  widths: number[];
  pL: number;
  convention: DepthConvention;
  seeds: number;
  /** The seeds are seedOffset … seedOffset + seeds − 1 (absent in earlier reports: 0). */
  seedOffset?: number;
  epochs: number;
  batchSize: number;
  /** adam, or the paper's SGD (momentum 0.9, Nesterov, weight decay 1e-4). */
  optimizer: DepthOptimizer;
  lr: number;
}
