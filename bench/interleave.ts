/**
 * The measuring loop bench/train-step.ts and bench/infer.ts share: every system runs a few steps
 * in turn, round by round, the order rotating from round to round, so that a change in the
 * machine's load (it is shared) falls on every system alike. After one untimed warm-up round each
 * system's time is the median ms/step over the timed rounds. A step is whatever the system times
 * (a training step, one forward pass of a batch).
 */
import { median } from './median';

/** What `run` measured: the wall time of its steps and a number the last one computed. */
export interface Timing {
  readonly ms: number;
  /** A training step's loss, an inference's output sum: not finite means the system failed. */
  readonly value: number;
}

export interface TimedSystem {
  /** The table row's name, e.g. "dropgrad wasm, 1 thread" or "PyTorch 1.13 (1 thread)". */
  readonly name: string;
  /** Examples one step processes (its batch size), for examples/s. */
  readonly batch: number;
  /** Steps in each round: fewer for the slow systems, so that a whole run stays within minutes. */
  readonly stepsPerRound: number;
  run(steps: number): Promise<Timing>;
  /** Releases what the system holds (a child process, tensors). */
  close(): void;
}

/** A system that cannot run here, with what to do about it, printed in its row. */
export interface UnavailableSystem {
  readonly name: string;
  readonly batch: number;
  readonly unavailable: string;
}

export type SystemOrUnavailable = TimedSystem | UnavailableSystem;

export const isAvailable = (system: SystemOrUnavailable): system is TimedSystem => !('unavailable' in system);

/** What one system measured: ms per step of each timed round, or why it stopped. */
export interface Row {
  readonly system: SystemOrUnavailable;
  readonly msPerStep: number[];
  value: number;
  error?: string;
}

/** --rounds' value, or `fallback` when it is not given. */
export function parseRounds(text: string | undefined, fallback: number): number {
  const rounds = Number(text ?? fallback);
  if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError(`--rounds: expected an integer ≥ 1, got ${text}`);
  return rounds;
}

/** Runs the system's steps for one round; on failure sets row.error. */
async function runRound(row: Row, system: TimedSystem, timed: boolean): Promise<void> {
  try {
    const { ms, value } = await system.run(system.stepsPerRound);
    row.value = value;
    if (!Number.isFinite(value)) row.error = `the ${system.name} steps computed ${value}`;
    else if (timed) row.msPerStep.push(ms / system.stepsPerRound);
  } catch (error) {
    row.error = (error as Error).message;
  }
}

/** One warm-up round, then `rounds` timed ones; closes every system at the end. */
export async function measureInterleaved(systems: readonly SystemOrUnavailable[], rounds: number): Promise<Row[]> {
  const rows: Row[] = systems.map((system) => ({ system, msPerStep: [], value: NaN }));
  try {
    for (let round = 0; round <= rounds; round++) {
      const order = rows.map((_, i) => rows[(i + round) % rows.length]);
      for (const row of order) {
        if (isAvailable(row.system) && row.error === undefined) await runRound(row, row.system, round > 0);
      }
    }
  } finally {
    for (const system of systems) if (isAvailable(system)) system.close();
  }
  return rows;
}

/** A row's outcome, for the tables and --json. */
export interface Measured {
  readonly name: string;
  readonly batch: number;
  /** Median over the timed rounds; NaN for a row with an error. */
  readonly msPerStep: number;
  readonly examplesPerSecond: number;
  readonly rounds: number;
  readonly stepsPerRound: number;
  readonly value: number;
  readonly error?: string;
}

export function measured(row: Row): Measured {
  const { system } = row;
  const ms = row.error ? NaN : median(row.msPerStep);
  return {
    name: system.name,
    batch: system.batch,
    msPerStep: ms,
    examplesPerSecond: (system.batch * 1000) / ms,
    rounds: row.msPerStep.length,
    stepsPerRound: isAvailable(system) ? system.stepsPerRound : 0,
    value: row.value,
    error: isAvailable(system) ? row.error && `error: ${row.error}` : `unavailable: ${system.unavailable}`,
  };
}
