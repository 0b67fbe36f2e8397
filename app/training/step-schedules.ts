/**
 * What changes every training step besides the weights: the learning rate (annealed to 0 along a
 * cosine over the whole run, or constant) and DropBlock's keep_prob (the paper's linear decrease
 * from 1, or fixed from the first step). `train` and `compare` step both once per batch.
 */
import type { Optimizer } from '../../nn/optim/optimizer';
import { CosineAnnealingLR } from '../../nn/optim/lr-scheduler';
import { DropBlockScheduler } from '../../nn/drop/dropblock-scheduler';
import type { DropBlock2d } from '../../nn/drop/dropblock';

export const lrScheduleNames = ['cosine', 'constant'] as const;
export type LrScheduleName = (typeof lrScheduleNames)[number];

export interface StepSchedules {
  /** Call once after every optimizer step. */
  step(): void;
}

export interface StepScheduleOptions {
  optimizer: Optimizer;
  lrSchedule: LrScheduleName;
  /** The model's DropBlock layers and the keep_prob they reach linearly (null: no schedule). */
  dropBlocks: readonly DropBlock2d[];
  dropBlockTarget: number | null;
  /** Steps in the whole run: both schedules end there. */
  totalSteps: number;
}

export function stepSchedules(options: StepScheduleOptions): StepSchedules {
  const { optimizer, lrSchedule, dropBlocks, dropBlockTarget, totalSteps } = options;
  const dropBlock =
    dropBlockTarget !== null ? new DropBlockScheduler(dropBlocks, { targetKeepProb: dropBlockTarget, steps: totalSteps }) : null;
  // Stepped once per batch, so even one epoch anneals all the way: the last steps take small,
  // careful moves, worth about half a point of accuracy over a constant rate, and the final
  // accuracy is not the noise of the last few steps of a constant rate.
  const lr = lrSchedule === 'cosine' ? new CosineAnnealingLR(optimizer, totalSteps) : null;
  return {
    step: () => {
      dropBlock?.step();
      lr?.step();
    },
  };
}
