/** optim: optimizers, learning-rate schedules and gradient clipping, importable as `optim`. */
export { Optimizer } from './optimizer';
export type { OptimizerState } from './optimizer';
export { SGD } from './sgd';
export type { SGDOptions } from './sgd';
export { Adam, AdamW } from './adam';
export type { AdamOptions } from './adam';
export { LRScheduler, StepLR, CosineAnnealingLR } from './lr-scheduler';
export { clipGradNorm } from './clip-grad-norm';
