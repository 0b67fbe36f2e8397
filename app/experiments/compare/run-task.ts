/**
 * One run of `dropgrad compare`: one technique, one seed. Everything it depends on is in the task
 * (plain data, so that a child process can take it over IPC) and every random draw comes from its
 * seed, so its result is the same whether it runs in the command's process or in any child.
 */
import type { Flags } from '../../flags/flag-spec';
import { type DataRequest, type DataSplits, loadDataOnce } from '../../data/data-splits';
import { buildExperiment, planExperiment } from '../../setup/experiment';
import { DataLoader } from '../../data/data-loader';
import { Generator, manualSeed } from '../../../lib/random/generator';
import { trainEpoch } from '../../training/train-epoch';
import { evaluate } from '../../training/evaluate';
import { type LrScheduleName, stepSchedules } from '../../training/step-schedules';
import { Adam } from '../../../nn/optim/adam';
import { mean } from '../../statistics/welch';

export interface CompareTask {
  technique: string;
  /** The technique's `train` flags (planExperiment's input). */
  flags: Flags;
  seed: number;
  epochs: number;
  batchSize: number;
  lr: number;
  schedule: LrScheduleName;
  data: DataRequest;
}

export interface CompareRunResult {
  /** On the (limited) test set, or the validation split (DataSplits.split), in eval mode. */
  testAccuracy: number;
  /** The final model in eval mode on the clean training subset (no Cutout or Random Erasing). */
  trainAccuracy: number;
  secondsPerEpoch: number[];
  /** The training loss averaged over each twentieth of training. */
  lossCurve: number[];
}

/** Averages `values` into `buckets` equal parts (the last may be shorter). */
function bucketMeans(values: readonly number[], buckets: number): number[] {
  const size = Math.max(1, Math.ceil(values.length / buckets));
  const out: number[] = [];
  for (let i = 0; i < values.length; i += size) out.push(mean(values.slice(i, i + size)));
  return out;
}

export async function runCompareTask(task: CompareTask, data: DataSplits): Promise<CompareRunResult> {
  manualSeed(task.seed);
  const experiment = buildExperiment(planExperiment(task.flags), data.train.shape, data.train.classes);
  const { model } = experiment;
  const loader = new DataLoader(data.train, {
    batchSize: task.batchSize,
    shuffle: true,
    generator: new Generator(task.seed + 1),
    transforms: experiment.transforms,
    limit: data.trainLimit,
  });
  const optimizer = new Adam(model.parameters(), { lr: task.lr });
  const schedules = stepSchedules({
    optimizer,
    lrSchedule: task.schedule,
    dropBlocks: experiment.dropBlocks,
    dropBlockTarget: experiment.dropBlockTarget,
    totalSteps: task.epochs * loader.length,
  });
  const losses: number[] = [];
  const secondsPerEpoch: number[] = [];
  for (let epoch = 0; epoch < task.epochs; epoch++) {
    let [lossSum, examples] = [0, 0];
    const result = await trainEpoch(model, loader, optimizer, {
      onStep: (p) => {
        schedules.step();
        // p.loss is the epoch's running mean; this step's loss is the change in the running sum.
        losses.push((p.loss * p.examples - lossSum) / (p.examples - examples));
        [lossSum, examples] = [p.loss * p.examples, p.examples];
      },
    });
    secondsPerEpoch.push(result.seconds);
  }
  const classes = data.train.classes;
  const test = evaluate(model, new DataLoader(data.test, { batchSize: 500, limit: data.testLimit }), classes);
  const train = evaluate(model, new DataLoader(data.train, { batchSize: 500, limit: data.trainLimit }), classes);
  return { testAccuracy: test.accuracy, trainAccuracy: train.accuracy, secondsPerEpoch, lossCurve: bucketMeans(losses, 20) };
}

/** A child process's side. */
export const runCompareTaskHere = (task: CompareTask): Promise<CompareRunResult> => runCompareTask(task, loadDataOnce(task.data));
