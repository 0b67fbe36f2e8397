/**
 * The paper trains DropBlock with keep_prob decreasing linearly from 1 to its target: dropping
 * big blocks from the first step hurts learning, and a fixed keep_prob was found less robust.
 * The schedule is written in the paper's keep_prob; it sets each layer's drop probability
 * p = 1 − keep_prob. Call step() once per training step (or epoch, matching `steps`).
 */
import { DropBlock2d } from './dropblock';
import { checkOptions, checkPositiveInteger, checkProbability, optionKeys } from '../../lib/validate';

export interface DropBlockScheduleOptions {
  /** keep_prob at the end of the schedule (the paper: 0.9). */
  targetKeepProb: number;
  /** How many step() calls the decrease lasts. */
  steps: number;
  /** keep_prob at the start (default 1: no dropping). */
  startKeepProb?: number;
}
const dropBlockScheduleOptionKeys = optionKeys<DropBlockScheduleOptions>({ targetKeepProb: true, steps: true, startKeepProb: true });

/** The layers to schedule: each must have DropBlock2d's p (another layer's p would be moved silently). */
function checkLayers(layers: DropBlock2d | readonly DropBlock2d[]): readonly DropBlock2d[] {
  if (layers instanceof DropBlock2d) return [layers];
  if (!Array.isArray(layers) || layers.length === 0) {
    const got = Array.isArray(layers) ? 'an empty list' : String(layers);
    throw new TypeError(`DropBlockScheduler: layers must be a DropBlock2d or a non-empty list of them, got ${got}`);
  }
  layers.forEach((layer: unknown, i) => {
    if (!(layer instanceof DropBlock2d)) {
      const got = (layer as { constructor?: { name?: string } } | null)?.constructor?.name ?? String(layer);
      throw new TypeError(`DropBlockScheduler: layers must be DropBlock2d layers, got ${got} at index ${i}`);
    }
  });
  return layers;
}

export class DropBlockScheduler {
  private stepCount = 0;
  private readonly layers: readonly DropBlock2d[];
  readonly start: number;
  readonly target: number;
  readonly steps: number;

  constructor(layers: DropBlock2d | readonly DropBlock2d[], options: DropBlockScheduleOptions) {
    this.layers = checkLayers(layers);
    checkOptions('DropBlockScheduler', options, dropBlockScheduleOptionKeys, 'an object such as { targetKeepProb: 0.9, steps: 1000 }');
    this.start = checkProbability('DropBlockScheduler', 'startKeepProb', options.startKeepProb ?? 1);
    this.target = checkProbability('DropBlockScheduler', 'targetKeepProb', options.targetKeepProb);
    this.steps = checkPositiveInteger('DropBlockScheduler', 'steps', options.steps);
    this.apply();
  }

  /** keep_prob after `step` steps: start + (target − start)·min(step/steps, 1). */
  keepProbAt(step: number): number {
    return this.start + (this.target - this.start) * Math.min(step / this.steps, 1);
  }

  get currentKeepProb(): number {
    return this.keepProbAt(this.stepCount);
  }

  step(): void {
    this.stepCount++;
    this.apply();
  }

  private apply(): void {
    for (const layer of this.layers) layer.p = 1 - this.currentKeepProb;
  }
}
