/**
 * Learning-rate schedules, stepped once per epoch (or per step, if `stepSize`/`tMax` count steps):
 *   StepLR:            lr = lr₀ · γ^⌊t / stepSize⌋
 *   CosineAnnealingLR: lr = ηmin + (lr₀ − ηmin)(1 + cos(π·t / tMax)) / 2  (PyTorch's closed form: past
 *                      tMax it rises again, so set tMax to the length of training)
 */
import { formatValue } from '../../base/shape';
import { checkPositiveInteger } from '../../lib/validate';
import { checkNonNegative } from '../../lib/validate';
import { Optimizer } from './optimizer';

export abstract class LRScheduler {
  readonly baseLr: number;
  /** Number of step() calls so far. */
  lastEpoch = 0;

  constructor(readonly optimizer: Optimizer) {
    if (!(optimizer instanceof Optimizer)) {
      throw new TypeError(`${new.target.name}: optimizer must be an Optimizer, got ${formatValue(optimizer)}`);
    }
    this.baseLr = optimizer.lr;
  }

  /** The learning rate after t steps. */
  abstract lrAt(t: number): number;

  step(): void {
    this.optimizer.lr = this.lrAt(this.lastEpoch + 1); // refused there if not a valid rate, before the count moves
    this.lastEpoch++;
  }
}

export class StepLR extends LRScheduler {
  constructor(
    optimizer: Optimizer,
    readonly stepSize: number,
    readonly gamma = 0.1,
  ) {
    super(optimizer);
    checkPositiveInteger('StepLR', 'stepSize', stepSize);
    checkNonNegative('StepLR', 'gamma', gamma);
  }

  lrAt(t: number): number {
    return this.baseLr * this.gamma ** Math.floor(t / this.stepSize);
  }
}

export class CosineAnnealingLR extends LRScheduler {
  constructor(
    optimizer: Optimizer,
    readonly tMax: number,
    readonly etaMin = 0,
  ) {
    super(optimizer);
    checkPositiveInteger('CosineAnnealingLR', 'tMax', tMax);
    checkNonNegative('CosineAnnealingLR', 'etaMin', etaMin);
  }

  lrAt(t: number): number {
    return this.etaMin + ((this.baseLr - this.etaMin) * (1 + Math.cos((Math.PI * t) / this.tMax))) / 2;
  }
}
