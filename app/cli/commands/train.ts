/** `dropgrad train`: train a model on MNIST (or other data) with any mix of drop techniques. */
import { CommandSpec, Flags, parseChoice, parseNumber } from '../args';
import { dataFlags, loadData } from '../data-flags';
import { buildExperiment, modelFlags, regularizerFlags } from '../experiment';
import { ProgressBar, formatDuration } from '../progress';
import { CliIO } from '../io';
import { DataLoader } from '../../data/data-loader';
import { Generator, manualSeed } from '../../../lib/random/generator';
import { setBackend, BackendName, backendNames } from '../../../kernels/backend';
import { trainEpoch } from '../../training/train-epoch';
import { evaluate } from '../../training/evaluate';
import { Adam } from '../../../nn/optim/adam';
import { SGD } from '../../../nn/optim/sgd';
import { Optimizer } from '../../../nn/optim/optimizer';
import { DropBlockScheduler } from '../../../nn/drop/dropblock-scheduler';
import { CosineAnnealingLR } from '../../../nn/optim/lr-scheduler';
import { loadCheckpoint, saveCheckpoint } from '../../serialization/checkpoint';

export const trainSpec: CommandSpec = {
  name: 'train',
  summary: 'Train a model (default: the small CNN on the bundled MNIST) with any mix of drop techniques.',
  flags: {
    ...modelFlags,
    ...regularizerFlags,
    ...dataFlags,
    epochs: { type: 'string', value: 'N', description: 'passes over the training data', default: '1' },
    'batch-size': { type: 'string', value: 'N', description: 'examples per step', default: '64' },
    lr: { type: 'string', value: 'RATE', description: 'learning rate', default: '0.002' },
    optimizer: { type: 'string', value: 'NAME', description: 'adam or sgd (momentum 0.9, Nesterov)', default: 'adam' },
    schedule: { type: 'string', value: 'NAME', description: 'learning-rate schedule over all steps: cosine (to 0) or constant', default: 'cosine' },
    seed: { type: 'string', value: 'N', description: 'seed for initialisation, shuffling and every mask', default: '0' },
    backend: { type: 'string', value: 'NAME', description: `kernel backend: ${backendNames.join(', ')}` },
    save: { type: 'string', value: 'FILE', description: 'write a checkpoint (safetensors) after every epoch and on Ctrl-C' },
    resume: { type: 'string', value: 'FILE', description: 'continue from a checkpoint written by --save' },
  },
};

export async function runTrain(flags: Flags, io: CliIO): Promise<number> {
  const epochs = parseNumber('epochs', String(flags.epochs), { integer: true, min: 1 });
  const batchSize = parseNumber('batch-size', String(flags['batch-size']), { integer: true, min: 1 });
  const lr = parseNumber('lr', String(flags.lr), { min: 0 });
  const seed = parseNumber('seed', String(flags.seed), { integer: true });
  const optimizerName = parseChoice('optimizer', String(flags.optimizer), ['adam', 'sgd'] as const);
  const scheduleName = parseChoice('schedule', String(flags.schedule), ['cosine', 'constant'] as const);
  if (flags.backend !== undefined) setBackend(parseChoice('backend', String(flags.backend), backendNames) as BackendName);

  manualSeed(seed);
  const data = loadData(flags);
  const experiment = buildExperiment(flags, data.train.shape, data.train.classes);
  const { model } = experiment;
  const dtype = flags.dtype === 'float64' ? 'float64' : 'float32';
  const shuffle = new Generator(seed + 1);
  const trainLoader = new DataLoader(data.train, { batchSize, shuffle: true, generator: shuffle, dtype, transforms: experiment.transforms, limit: data.trainLimit });
  const testLoader = new DataLoader(data.test, { batchSize: 500, dtype, limit: data.testLimit });
  const optimizer: Optimizer = optimizerName === 'adam' ? new Adam(model.parameters(), { lr }) : new SGD(model.parameters(), { lr, momentum: 0.9, nesterov: true });
  const totalSteps = epochs * trainLoader.length;
  const schedule =
    experiment.dropBlockTarget !== null ? new DropBlockScheduler(experiment.dropBlocks, { targetKeepProb: experiment.dropBlockTarget, steps: totalSteps }) : null;
  // Stepped once per batch, so one epoch already anneals all the way: the last steps take small,
  // careful moves, which is worth about half a point of accuracy over a constant rate.
  const lrSchedule = scheduleName === 'cosine' ? new CosineAnnealingLR(optimizer, totalSteps) : null;

  let firstEpoch = 1;
  if (flags.resume !== undefined) {
    const state = loadCheckpoint(String(flags.resume), model, optimizer);
    firstEpoch = state.epoch + 1;
    shuffle.setState(state.shuffleState);
    for (let s = 0; s < state.epoch * trainLoader.length; s++) {
      schedule?.step();
      lrSchedule?.step();
    }
    io.out.write(`resumed from ${flags.resume} after epoch ${state.epoch}\n`);
  }

  const parameters = model.parameters().reduce((n, p) => n + p.numel, 0);
  io.out.write(
    `training ${String(flags.model)} (${parameters.toLocaleString('en-US')} parameters, ${dtype}) on ${data.name}: ${trainLoader.size} examples, ` +
      `batch ${batchSize}, ${optimizerName} lr ${lr}, regularizers: ${experiment.label}\n`,
  );

  let interrupted = false;
  const onInterrupt = (): void => {
    interrupted = true;
  };
  process.once('SIGINT', onInterrupt);
  const save = (epoch: number): void => {
    if (flags.save === undefined) return;
    saveCheckpoint(String(flags.save), { model, optimizer, epoch, shuffleState: shuffle.getState(), config: flags });
    io.out.write(`saved ${flags.save} (epoch ${epoch})\n`);
  };
  try {
    for (let epoch = firstEpoch; epoch <= epochs; epoch++) {
      const bar = new ProgressBar(io.out, `epoch ${epoch}/${epochs}`);
      const result = await trainEpoch(model, trainLoader, optimizer, {
        onStep: (p) => {
          schedule?.step();
          lrSchedule?.step();
          bar.update(p);
        },
        shouldStop: () => interrupted,
      });
      bar.finish();
      if (!result.completed) {
        io.out.write(`interrupted during epoch ${epoch}\n`);
        save(epoch - 1);
        return 130;
      }
      const test = evaluate(model, testLoader, data.test.classes);
      io.out.write(
        `epoch ${epoch}/${epochs}: train loss ${result.loss.toFixed(4)}, train acc ${(100 * result.accuracy).toFixed(2)}%, ` +
          `test loss ${test.loss.toFixed(4)}, test acc ${(100 * test.accuracy).toFixed(2)}% ` +
          `(${formatDuration(result.seconds)}, ${Math.round(result.examples / result.seconds)} ex/s)\n`,
      );
      save(epoch);
    }
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
  return 0;
}
