import type { DepthConvention } from '../../../nn/models/residual-drop';

export const depthOptimizers = ['adam', 'sgd'] as const;
export type DepthOptimizer = (typeof depthOptimizers)[number];

/** What one `stochastic-depth` experiment trains: the ResNet, stochastic depth's settings, and the training. */
export interface DepthConfig {
  blocks: number;
  widths: number[];
  pL: number;
  convention: DepthConvention;
  seeds: number;
  epochs: number;
  batchSize: number;
  /** adam, or the paper's SGD (momentum 0.9, Nesterov, weight decay 1e-4). */
  optimizer: DepthOptimizer;
  lr: number;
}
