/**
 * What bench/train-step.ts drives: a system that trains the small CNN on the shared batch, a few
 * steps at a time, so that every system's steps can be interleaved round by round in one run.
 */

/** What `run` measured: the wall time of its steps and the loss of the last one. */
export interface StepsTiming {
  ms: number;
  loss: number;
}

export interface TrainingSystem {
  /** The table row's name, e.g. "dropgrad js" or "PyTorch 1.13 (1 thread)". */
  readonly name: string;
  /** Steps in each round: fewer for the slow systems, so that a whole run stays within minutes. */
  readonly stepsPerRound: number;
  /** Runs `steps` training steps (zero grads, forward, cross-entropy, backward, Adam update). */
  run(steps: number): Promise<StepsTiming>;
  /** Releases what the system holds (a child process, tensors). */
  close(): void;
}

/** A system that cannot run here, with what to do about it, printed in its row. */
export interface UnavailableSystem {
  readonly name: string;
  readonly unavailable: string;
}

export type SystemOrUnavailable = TrainingSystem | UnavailableSystem;

export const isAvailable = (system: SystemOrUnavailable): system is TrainingSystem => !('unavailable' in system);
