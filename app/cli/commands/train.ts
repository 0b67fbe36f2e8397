/** `dropgrad train`: train a model on MNIST (or other data) with drop techniques, each in its place in the model. */
import type { CommandSpec } from '../args';
import type { Flags } from '../../flags/flag-spec';
import { parseChoice, parseNumber, parseOutputPath, parseSeed } from '../../flags/flag-values';
import { dataFlags, dataNotes, parseDataFlags } from '../data-flags';
import { loadData } from '../../data/data-splits';
import { buildExperiment, modelFlags, planExperiment } from '../../setup/experiment';
import { loadCheckpointFor } from '../load-checkpoint-for';
import { lrScheduleFlag } from '../schedule-flag';
import { regularizerFlags } from '../../setup/drop-techniques';
import { ProgressBar } from '../progress';
import { formatDurationAsClock } from '../../render/duration';
import type { CliIO } from '../io';
import { describeKernels } from '../describe-kernels';
import { DataLoader } from '../../data/data-loader';
import { Generator, defaultGenerator, manualSeed } from '../../../lib/random/generator';
import { setBackend, type BackendName, backendNames } from '../../../kernels/backend';
import { setNumThreads } from '../../../kernels/wasm/thread-count';
import { trainEpoch } from '../../training/train-epoch';
import { type Evaluation, evaluate } from '../../training/evaluate';
import { Adam } from '../../../nn/optim/adam';
import { SGD } from '../../../nn/optim/sgd';
import type { Optimizer } from '../../../nn/optim/optimizer';
import { lrScheduleNames, stepSchedules } from '../../training/step-schedules';
import { inspectCheckpoint, saveCheckpoint } from '../../serialization/checkpoint';
import { refuseChangedFlags } from '../resume-flags';

export const trainSpec: CommandSpec = {
  name: 'train',
  summary: 'Train a model (default: the small CNN on MNIST) with drop techniques, any mix the model has a place for.',
  notes: dataNotes,
  flags: {
    ...modelFlags,
    ...regularizerFlags,
    ...dataFlags,
    epochs: { type: 'string', value: 'N', description: 'passes over the training data', default: '1' },
    'batch-size': { type: 'string', value: 'N', description: 'examples per step', default: '64' },
    lr: { type: 'string', value: 'RATE', description: 'learning rate', default: '0.002' },
    optimizer: { type: 'string', value: 'NAME', description: 'adam or sgd (momentum 0.9, Nesterov)', default: 'adam' },
    schedule: { ...lrScheduleFlag, default: 'cosine' },
    seed: { type: 'string', value: 'N', description: 'seed for initialisation, shuffling and every mask', default: '0' },
    backend: {
      type: 'string',
      value: 'NAME',
      description: `kernel backend: ${backendNames.join(', ')} (default: gpu.js on a real GPU, else wasm)`,
    },
    threads: { type: 'string', value: 'N', description: 'threads for the wasm kernels (default: DROPGRAD_THREADS, else every core)' },
    save: { type: 'string', value: 'FILE', description: 'write a checkpoint (safetensors) after every epoch and on Ctrl-C' },
    resume: { type: 'string', value: 'FILE', description: 'continue from a checkpoint written by --save' },
  },
};

export async function runTrain(flags: Flags, io: CliIO): Promise<number> {
  // Every flag is checked before the data is read or a checkpoint loaded.
  const epochs = parseNumber('epochs', String(flags.epochs), { integer: true, min: 1 });
  const batchSize = parseNumber('batch-size', String(flags['batch-size']), { integer: true, min: 1 });
  const lr = parseNumber('lr', String(flags.lr), { min: 0 });
  const seed = parseSeed('seed', String(flags.seed));
  const optimizerName = parseChoice('optimizer', String(flags.optimizer), ['adam', 'sgd'] as const);
  const scheduleName = parseChoice('schedule', String(flags.schedule), lrScheduleNames);
  const backend = flags.backend !== undefined ? (parseChoice('backend', String(flags.backend), backendNames) as BackendName) : undefined;
  const threads =
    flags.threads !== undefined ? parseNumber('threads', String(flags.threads), { integer: true, min: 1, max: 256 }) : undefined;
  const plan = planExperiment(flags);
  const dataRequest = parseDataFlags(flags);
  const savePath = flags.save !== undefined ? parseOutputPath('save', String(flags.save)) : undefined;
  const resumePath = flags.resume !== undefined ? String(flags.resume) : undefined;
  const resumed = resumePath !== undefined ? inspectCheckpoint(resumePath) : undefined;
  if (resumePath !== undefined && resumed !== undefined) refuseChangedFlags(resumePath, resumed.config, flags, trainSpec.flags);
  if (resumed && resumed.epoch >= epochs) {
    io.out.write(
      `${resumePath} has already completed ${resumed.epoch} epoch${resumed.epoch === 1 ? '' : 's'}, and --epochs is ${epochs}: nothing to train (raise --epochs to continue)\n`,
    );
    return 0;
  }
  if (backend !== undefined) setBackend(backend);
  if (threads !== undefined) setNumThreads(threads);

  manualSeed(seed);
  const data = loadData(dataRequest);
  const experiment = buildExperiment(plan, data.train.shape, data.train.classes);
  const { model } = experiment;
  const dtype = experiment.dtype;
  const shuffle = new Generator(seed + 1);
  const trainLoader = new DataLoader(data.train, {
    batchSize,
    shuffle: true,
    generator: shuffle,
    dtype,
    transforms: experiment.transforms,
    limit: data.trainLimit,
  });
  const testLoader = new DataLoader(data.test, { batchSize: 500, dtype, limit: data.testLimit });
  const optimizer: Optimizer =
    optimizerName === 'adam' ? new Adam(model.parameters(), { lr }) : new SGD(model.parameters(), { lr, momentum: 0.9, nesterov: true });
  const schedules = stepSchedules({
    optimizer,
    lrSchedule: scheduleName,
    dropBlocks: experiment.dropBlocks,
    dropBlockTarget: experiment.dropBlockTarget,
    totalSteps: epochs * trainLoader.length,
  });

  let firstEpoch = 1;
  if (resumePath !== undefined) {
    const state = loadCheckpointFor(
      resumePath,
      experiment,
      { name: data.name, shape: data.train.shape, classes: data.train.classes },
      ' or with another --model',
      optimizer,
    );
    firstEpoch = state.epoch + 1;
    shuffle.setState(state.shuffleState);
    if (state.maskState !== null) defaultGenerator.setState(state.maskState);
    else if (experiment.label !== 'none')
      io.err.write(
        `dropgrad: note: ${resumePath} predates checkpoints that store the masks' generator: training goes on, but its masks are not those of an uninterrupted run\n`,
      );
    // state.epoch < epochs (checked above), so this is at most the run's own number of steps.
    for (let s = 0; s < state.epoch * trainLoader.length; s++) schedules.step();
    io.out.write(`resumed from ${resumePath} after epoch ${state.epoch}\n`);
  }

  describeKernels(io, dtype);
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
  // Every generator the run draws from, as a checkpoint stores them: resuming continues both streams.
  const generatorStates = () => ({ shuffleState: shuffle.getState(), maskState: defaultGenerator.getState() });
  const save = (epoch: number, states = generatorStates()): void => {
    if (savePath === undefined) return;
    saveCheckpoint(savePath, { model, optimizer, epoch, ...states, config: flags });
    io.out.write(`saved ${savePath} (epoch ${epoch})\n`);
  };
  try {
    for (let epoch = firstEpoch; epoch <= epochs; epoch++) {
      // An interrupted epoch is saved as not done: its resume replays the epoch's shuffle and masks.
      const atEpochStart = generatorStates();
      const bar = new ProgressBar(io.out, `epoch ${epoch}/${epochs}`);
      const result = await trainEpoch(model, trainLoader, optimizer, {
        onStep: (p) => {
          schedules.step();
          bar.update(p);
        },
        shouldStop: () => interrupted,
      });
      if (!result.completed) {
        bar.finish();
        io.out.write(`interrupted during epoch ${epoch}\n`);
        save(epoch - 1, atEpochStart);
        return 130;
      }
      bar.evaluating();
      let test: Evaluation;
      try {
        test = evaluate(model, testLoader, data.test.classes);
      } finally {
        bar.finish();
      }
      io.out.write(
        `epoch ${epoch}/${epochs}: train loss ${result.loss.toFixed(4)}, train acc ${(100 * result.accuracy).toFixed(2)}%, ` +
          `test loss ${test.loss.toFixed(4)}, test acc ${(100 * test.accuracy).toFixed(2)}% ` +
          `(${formatDurationAsClock(result.seconds)}, ${Math.round(result.examples / result.seconds)} ex/s)\n`,
      );
      save(epoch);
    }
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
  return 0;
}
