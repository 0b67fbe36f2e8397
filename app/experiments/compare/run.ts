/**
 * The question users have — which drop technique helps on *my* data? Trains the same model once
 * per technique and seed on a training subset and gives, per technique, test (or validation) and train accuracy
 * over seeds, the generalization gap, time per epoch and Welch's t-test against its baseline.
 * The runs of a study can be split over processes here (`--jobs N`) or over machines (`--shard I/N`,
 * each a slice of the canonical order, put back together by `dropgrad merge`); either way the rows
 * come from compareOutcome over the same results in the same order.
 */
import type { Flags } from '../../flags/flag-spec';
import type { DataRequest } from '../../data/data-splits';
import { runTasks } from '../process-pool';
import type { RunOptions } from '../run-options';
import type { LrScheduleName } from '../../training/step-schedules';
import { mean } from '../../statistics/welch';
import { type CompareRow, compareRows } from './report';
import { type CompareRunResult, type CompareTask, runCompareTask } from './run-task';
import { formatSettings, techniques } from './techniques';

export interface CompareSettings {
  /** The techniques to run, each with its `train` flags (settings from the command line in place). */
  flagsOf: ReadonlyMap<string, Flags>;
  seeds: number;
  /** The first seed: the runs use seedOffset … seedOffset + seeds − 1. */
  seedOffset: number;
  epochs: number;
  batchSize: number;
  lr: number;
  schedule: LrScheduleName;
}

export interface CompareOutcome {
  rows: CompareRow[];
  /** Per row, the training loss over each twentieth of training, mean over seeds. */
  lossCurves: number[][];
}

/** A run's place in its study. */
export interface CompareRunId {
  technique: string;
  seed: number;
}

/**
 * Every (technique, seed) run of a study in the canonical order — technique by technique, seeds
 * seedOffset … seedOffset + N − 1 — which shards slice (app/experiments/shard.ts) and compareOutcome
 * reads results in.
 */
export function compareRunOrder(names: readonly string[], seeds: number, seedOffset: number): CompareRunId[] {
  return names.flatMap((technique) => Array.from({ length: seeds }, (_, i) => ({ technique, seed: seedOffset + i })));
}

/** The tasks of every run of a study, in the canonical order. */
export function compareTasks(settings: CompareSettings, request: DataRequest): CompareTask[] {
  const { flagsOf, seeds, seedOffset, epochs, batchSize, lr, schedule } = settings;
  return compareRunOrder([...flagsOf.keys()], seeds, seedOffset).map(({ technique, seed }) => ({
    technique,
    flags: flagsOf.get(technique)!,
    seed,
    epochs,
    batchSize,
    lr,
    schedule,
    data: request,
  }));
}

/** Runs `tasks` (all of a study's or one shard's), here or in child processes; the results in task order. */
export function runCompareTasks(
  tasks: readonly CompareTask[],
  options: RunOptions<CompareTask, CompareRunResult>,
): Promise<CompareRunResult[]> {
  return runTasks(tasks, (task) => runCompareTask(task, options.data), {
    worker: 'compare',
    jobs: options.jobs,
    cli: options.cli,
    describe: (t) => `compare run ${t.technique}, seed ${t.seed}`,
    onResult: options.onResult,
    log: options.log,
  });
}

/**
 * The rows and loss curves of a whole study from the results of its runs in the canonical order
 * (compareTasks'): what one process computes after its runs, and what `dropgrad merge` computes
 * from the shards' runs.
 */
export function compareOutcome(flagsOf: ReadonlyMap<string, Flags>, seeds: number, results: readonly CompareRunResult[]): CompareOutcome {
  const byTechnique = [...flagsOf.entries()].map(([technique, flags], t) => ({
    technique,
    settings: formatSettings(flags),
    baseline: techniques[technique].baseline,
    runs: results.slice(t * seeds, (t + 1) * seeds),
  }));
  return {
    rows: compareRows(byTechnique),
    lossCurves: byTechnique.map(({ runs }) => runs[0].lossCurve.map((_, k) => mean(runs.map((r) => r.lossCurve[k])))),
  };
}
