/**
 * One seed of `dropgrad stochastic-depth`: the baseline ResNet and the same ResNet with stochastic
 * depth, trained from that seed one after the other in the same process. Everything a seed depends
 * on is in its task (plain data, so that a child process can take it over IPC) and every random
 * draw comes from the seed, so its accuracies are the same in the command's process or in any child.
 *
 * The pair runs in ABBA order over the seeds (even seeds baseline first, odd seeds stochastic depth
 * first), so that a drift of the host's speed within a process slows both variants alike; with two
 * processes, one mostly trains a baseline while the other trains a thinned network.
 */
import { type DataRequest, type DataSplits, loadDataOnce } from '../../data/data-splits';
import { DataLoader } from '../../data/data-loader';
import { Generator, manualSeed } from '../../../lib/random/generator';
import { trainEpoch } from '../../training/train-epoch';
import { evaluate } from '../../training/evaluate';
import { Adam } from '../../../nn/optim/adam';
import { SGD } from '../../../nn/optim/sgd';
import type { Optimizer } from '../../../nn/optim/optimizer';
import { CosineAnnealingLR } from '../../../nn/optim/lr-scheduler';
import { type ResNet, resnet } from '../../../nn/models/resnet';
import { ResidualBlock } from '../../../nn/models/residual-block';
import type { DepthConfig } from './config';

export interface DepthRunResult {
  testAcc: number;
  /** Running training accuracy over the last epoch (with the noise on). */
  trainAcc: number;
  secondsPerEpoch: number;
  skipped: number;
  branches: number;
}

export interface DepthSeedTask {
  config: DepthConfig;
  data: DataRequest;
  seed: number;
}

export interface DepthSeedResult {
  baseline: DepthRunResult;
  stochasticDepth: DepthRunResult;
}

const buildModel = (config: DepthConfig, data: DataSplits, withDepth: boolean): ResNet =>
  resnet({
    layers: [config.blocks, config.blocks, config.blocks],
    widths: config.widths,
    inChannels: data.train.shape[0],
    numClasses: data.train.classes,
    dtype: 'float32',
    stochasticDepth: withDepth ? { pL: config.pL, mode: 'batch', convention: config.convention } : undefined,
  });

const buildOptimizer = (config: DepthConfig, model: ResNet): Optimizer =>
  config.optimizer === 'adam'
    ? new Adam(model.parameters(), { lr: config.lr })
    : new SGD(model.parameters(), { lr: config.lr, momentum: 0.9, nesterov: true, weightDecay: 1e-4 });

/** Trains one variant from `seed`; the model and the run's figures except test accuracy. */
async function train(
  config: DepthConfig,
  data: DataSplits,
  withDepth: boolean,
  seed: number,
  limit?: number,
): Promise<{ model: ResNet; run: Omit<DepthRunResult, 'testAcc'> }> {
  manualSeed(seed);
  const model = buildModel(config, data, withDepth);
  const blocks = model.modules().filter((m): m is ResidualBlock => m instanceof ResidualBlock);
  const loader = new DataLoader(data.train, { batchSize: config.batchSize, shuffle: true, generator: new Generator(seed + 1), limit });
  const optimizer = buildOptimizer(config, model);
  const schedule = new CosineAnnealingLR(optimizer, config.epochs * loader.length);
  let [seconds, skipped, branches, trainAcc] = [0, 0, 0, 0];
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    const result = await trainEpoch(model, loader, optimizer, {
      onStep: () => {
        schedule.step();
        skipped += blocks.filter((b) => b.depth.lastDropped).length;
        branches += blocks.length;
      },
    });
    seconds += result.seconds;
    trainAcc = result.accuracy;
  }
  return { model, run: { trainAcc, secondsPerEpoch: seconds / config.epochs, skipped, branches } };
}

async function trainRun(config: DepthConfig, data: DataSplits, withDepth: boolean, seed: number): Promise<DepthRunResult> {
  const { model, run } = await train(config, data, withDepth, seed, data.trainLimit);
  const test = evaluate(model, new DataLoader(data.test, { batchSize: 500, limit: data.testLimit }), data.test.classes);
  return { testAcc: test.accuracy, ...run };
}

/** Whether this process has run its untimed warm-up steps (one per process is enough). */
let warmedUp = false;

export async function runDepthSeed(task: DepthSeedTask, data: DataSplits): Promise<DepthSeedResult> {
  const { config, seed } = task;
  if (!warmedUp) {
    // A few untimed steps of both variants, so that neither pays the JIT's compile time in its
    // timings; nothing is evaluated (a pass over the test images is a minute at ResNet-56).
    for (const withDepth of [false, true]) await train({ ...config, epochs: 1 }, data, withDepth, -1, 2 * config.batchSize);
    warmedUp = true;
  }
  const result: Partial<DepthSeedResult> = {};
  for (const withDepth of seed % 2 === 0 ? [false, true] : [true, false]) {
    result[withDepth ? 'stochasticDepth' : 'baseline'] = await trainRun(config, data, withDepth, seed);
  }
  return result as DepthSeedResult;
}

/** A child process's side. */
export const runDepthSeedHere = (task: DepthSeedTask): Promise<DepthSeedResult> => runDepthSeed(task, loadDataOnce(task.data));
