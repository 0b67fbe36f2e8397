/**
 * The question users have — which drop technique helps on *my* data? Trains the same model once
 * per technique and seed on a training subset and gives, per technique, test (or validation) and train accuracy
 * over seeds, the generalization gap, time per epoch and Welch's t-test against its baseline.
 */
import type { Flags } from '../../flags/flag-spec';
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

export async function compare(settings: CompareSettings, options: RunOptions<CompareTask, CompareRunResult>): Promise<CompareOutcome> {
  const { flagsOf, seeds, seedOffset, epochs, batchSize, lr, schedule } = settings;
  const names = [...flagsOf.keys()];
  const tasks: CompareTask[] = names.flatMap((technique) =>
    Array.from({ length: seeds }, (_, i) => ({
      technique,
      flags: flagsOf.get(technique)!,
      seed: seedOffset + i,
      epochs,
      batchSize,
      lr,
      schedule,
      data: options.request,
    })),
  );
  const results = await runTasks(tasks, (task) => runCompareTask(task, options.data), {
    worker: 'compare',
    jobs: options.jobs,
    cli: options.cli,
    describe: (t) => `compare run ${t.technique}, seed ${t.seed}`,
    onResult: options.onResult,
    log: options.log,
  });
  const runsOf = (technique: string): CompareRunResult[] => results.filter((_, i) => tasks[i].technique === technique);
  const byTechnique = names.map((technique) => ({
    technique,
    settings: formatSettings(flagsOf.get(technique)!),
    baseline: techniques[technique].baseline,
    runs: runsOf(technique),
  }));
  return {
    rows: compareRows(byTechnique),
    lossCurves: byTechnique.map(({ runs }) => runs[0].lossCurve.map((_, k) => mean(runs.map((r) => r.lossCurve[k])))),
  };
}
