/**
 * What `train` and `compare` share: the regularizer flags, and turning them (plus the model and
 * data flags) into a model, the input transforms and the DropBlock schedule.
 */
import type { Tensor } from '../../lib/tensor';
import type { DType } from '../../lib/dtype';
import { type FlagSpec, type FlagSpecs, type Flags, UsageError, parseChoice, parseNumber, parsePair } from './args';
import type { Module } from '../../nn/module';
import { smallCnn, type SmallCnnRegularizers } from '../../nn/models/small-cnn';
import { resnet } from '../../nn/models/resnet';
import { DropBlock2d } from '../../nn/drop/dropblock';
import { Cutout } from '../../nn/drop/cutout';
import { RandomErasing } from '../../nn/drop/random-erasing';
import type { Optimizer } from '../../nn/optim/optimizer';
import { type LoadedCheckpoint, loadCheckpoint } from '../serialization/checkpoint';
import { readSafetensors } from '../serialization/safetensors-file';
import { formatShape } from '../../lib/shape';

/** The learning-rate schedule flag of `train` and `compare` (each gives its own default). */
export const lrScheduleFlag: FlagSpec = {
  type: 'string',
  value: 'NAME',
  description: 'learning-rate schedule over all steps: cosine (to 0) or constant',
};

export const regularizerFlags: FlagSpecs = {
  dropout: { type: 'string', value: 'P', description: 'Dropout (P: probability of dropping a unit) before and after the hidden layer' },
  dropout2d: { type: 'string', value: 'P', description: 'Dropout2d (P: probability of dropping a channel) after each conv stage' },
  gaussian: { type: 'string', value: 'P', description: 'Gaussian dropout N(1, P/(1-P)) in the classifier (P < 1, as for dropout)' },
  uout: { type: 'string', value: 'BETA', description: 'Uout noise 1+U(-beta, beta) in the classifier' },
  'alpha-dropout': { type: 'string', value: 'P', description: 'Alpha dropout in the classifier' },
  dropconnect: { type: 'string', value: 'P', description: 'DropConnect (P: probability of dropping a weight) on the hidden layer' },
  dropblock: {
    type: 'string',
    value: 'KEEP:SIZE',
    description: "DropBlock in the paper's notation: keep_prob falls linearly from 1 to KEEP (p = 1 - KEEP), blocks of SIZE",
  },
  'dropblock-schedule': {
    type: 'string',
    value: 'NAME',
    description:
      "DropBlock's keep_prob: linear (the paper's decrease from 1 to KEEP over training; default) or none (KEEP from the first step)",
  },
  'stochastic-depth': {
    type: 'string',
    value: 'PL',
    description: "stochastic depth in the paper's notation: survival probability PL of the last block (needs --model resnet)",
  },
  cutout: { type: 'string', value: 'HOLES:LENGTH', description: 'Cutout: HOLES squares of side LENGTH on each input image' },
  'random-erasing': { type: 'string', value: 'P', description: 'Random Erasing: erase each input image with probability P' },
};

export const modelFlags: FlagSpecs = {
  model: {
    type: 'string',
    value: 'NAME',
    description:
      'small-cnn (every regularizer but --stochastic-depth, one per slot), resnet (3 stages × 2 blocks, 16/32/64 wide) or resnet-small (3 × 1, 8/16/32): the ResNets take --dropblock, --stochastic-depth, --cutout and --random-erasing',
    default: 'small-cnn',
  },
  dtype: { type: 'string', value: 'DTYPE', description: 'float32 or float64', default: 'float32' },
};

/** What the flags ask for, every value checked; the model waits for the data's image shape. */
export interface ExperimentPlan {
  kind: 'small-cnn' | 'resnet' | 'resnet-small';
  dtype: DType;
  regularizers: SmallCnnRegularizers;
  /** Stochastic depth's survival probability of the last block (resnets only). */
  pL?: number;
  /** Input-level drops (Cutout, Random Erasing) as layers in training mode, for the record. */
  inputDrops: Array<Cutout | RandomErasing>;
  /** The input drops as the DataLoader applies them: to training batches only. */
  transforms: Array<(x: Tensor) => Tensor>;
  /** DropBlock's target keep_prob, reached linearly over training (the paper's schedule); null without DropBlock or with a fixed keep_prob. */
  dropBlockTarget: number | null;
  /** A short label such as "dropout 0.5, cutout 1:8". */
  label: string;
}

export interface Experiment extends ExperimentPlan {
  model: Module;
  dropBlocks: DropBlock2d[];
}

const probability = { min: 0, max: 1 };

/**
 * The small CNN's slots that hold one layer each (see nn/models/small-cnn.ts): two flags for one
 * slot cannot both be trained, so the pair is refused rather than one of them silently dropped.
 */
const smallCnnSlots = [
  { flags: ['dropout', 'gaussian', 'uout', 'alpha-dropout'], place: "the classifier's drop slot (before and after its hidden layer)" },
  { flags: ['dropout2d', 'dropblock'], place: 'the spatial drop slot after each conv stage' },
];

/** The regularizers the ResNets take; like torchvision's ResNets they have no classifier dropout, and no slot for any other. */
const resnetRegularizers = ['dropblock', 'stochastic-depth', 'cutout', 'random-erasing'];

/** Refuses regularizer flags the model has no place for, or two that compete for one place, naming the flags. */
function refuseUnplaceable(kind: ExperimentPlan['kind'], given: readonly string[]): void {
  if (kind === 'small-cnn') {
    if (given.includes('stochastic-depth'))
      throw new UsageError('--stochastic-depth: needs --model resnet or resnet-small (stochastic depth drops residual blocks)');
    for (const { flags, place } of smallCnnSlots) {
      const competing = flags.filter((flag) => given.includes(flag));
      if (competing.length > 1)
        throw new UsageError(
          `${competing.map((flag) => `--${flag}`).join(' and ')} ${competing.length === 2 ? 'both' : 'all'} put their noise in ${place}; give one`,
        );
    }
    return;
  }
  const unplaced = given.filter((flag) => !resnetRegularizers.includes(flag));
  if (unplaced.length > 0) {
    throw new UsageError(
      `${unplaced.map((flag) => `--${flag}`).join(', ')}: --model ${kind} has no place for ${unplaced.length === 1 ? 'it' : 'them'}; ` +
        `it takes ${resnetRegularizers.map((flag) => `--${flag}`).join(', ')} (or use --model small-cnn)`,
    );
  }
}
const opt = (flags: Flags, name: string): string | undefined => flags[name] as string | undefined;

/** Parses and checks the model and regularizer flags, before any data is read. */
export function planExperiment(flags: Flags): ExperimentPlan {
  const kind = parseChoice('model', String(flags.model ?? 'small-cnn'), ['small-cnn', 'resnet', 'resnet-small'] as const);
  const dtype = parseChoice('dtype', String(flags.dtype ?? 'float32'), ['float32', 'float64'] as const) as DType;
  const labels: string[] = [];
  const number = (name: string, rule = probability): number | undefined => {
    const value = opt(flags, name);
    if (value === undefined) return undefined;
    labels.push(`${name} ${value}`);
    return parseNumber(name, value, rule);
  };
  const regularizers: SmallCnnRegularizers = {
    dropout: number('dropout'),
    dropout2d: number('dropout2d'),
    gaussianDropout: number('gaussian', { min: 0, max: 0.99 }),
    uout: number('uout', { min: 0, max: 1 }),
    alphaDropout: number('alpha-dropout'),
    dropConnect: number('dropconnect'),
  };
  let dropBlockTarget: number | null = null;
  const dropBlockFlag = opt(flags, 'dropblock');
  const dropBlockSchedule = opt(flags, 'dropblock-schedule');
  const scheduled = parseChoice('dropblock-schedule', dropBlockSchedule ?? 'linear', ['linear', 'none'] as const) === 'linear';
  if (dropBlockFlag !== undefined) {
    const [keep, size] = parsePair('dropblock', dropBlockFlag, 'KEEP:SIZE', probability, { integer: true, min: 1 });
    // The schedule takes p from 0 to 1 − KEEP; without it p is 1 − KEEP from the first step.
    regularizers.dropBlock = { p: scheduled ? 0 : 1 - keep, blockSize: size };
    dropBlockTarget = scheduled ? keep : null;
    labels.push(`dropblock ${dropBlockFlag}${scheduled ? '' : ' (no schedule)'}`);
  } else if (dropBlockSchedule !== undefined) {
    throw new UsageError(`--dropblock-schedule: ${JSON.stringify(dropBlockSchedule)} given without --dropblock KEEP:SIZE`);
  }
  const pL = number('stochastic-depth');

  const inputDrops: Array<Cutout | RandomErasing> = [];
  const cutoutFlag = opt(flags, 'cutout');
  if (cutoutFlag !== undefined) {
    const [holes, length] = parsePair('cutout', cutoutFlag, 'HOLES:LENGTH', { integer: true, min: 1 }, { integer: true, min: 1 });
    inputDrops.push(new Cutout(length, { holes }));
    labels.push(`cutout ${cutoutFlag}`);
  }
  const erasing = number('random-erasing');
  if (erasing !== undefined) inputDrops.push(new RandomErasing(erasing));
  refuseUnplaceable(
    kind,
    Object.keys(regularizerFlags).filter((flag) => flag !== 'dropblock-schedule' && opt(flags, flag) !== undefined),
  );
  const transforms = inputDrops.map((drop) => (x: Tensor) => drop.forward(x));
  return { kind, dtype, regularizers, pL, inputDrops, transforms, dropBlockTarget, label: labels.join(', ') || 'none' };
}

/** Builds the planned model for images of `imageShape` ([C,H,W]) in `classes` classes. */
export function buildExperiment(plan: ExperimentPlan, imageShape: readonly [number, number, number], classes: number): Experiment {
  const { kind, dtype, regularizers, pL } = plan;
  const [channels, height, width] = imageShape;
  if (height !== width) throw new UsageError(`the models expect square images, got ${height}×${width}`);

  const model =
    kind !== 'small-cnn'
      ? resnet({
          ...(kind === 'resnet-small' ? { layers: [1, 1, 1], widths: [8, 16, 32] } : {}),
          inChannels: channels,
          numClasses: classes,
          dtype,
          stochasticDepth: pL !== undefined ? { pL } : undefined,
          dropBlock: regularizers.dropBlock ? { ...regularizers.dropBlock, stages: [2, 3] } : undefined,
        })
      : smallCnn({ inChannels: channels, imageSize: height, numClasses: classes, dtype, regularizers });

  const dropBlocks = model.modules().filter((m): m is DropBlock2d => m instanceof DropBlock2d);
  return { ...plan, model, dropBlocks };
}

/** The data a model was built for, as `train` and `eval` describe it. */
export interface DataDescription {
  name: string;
  shape: readonly number[];
  classes: number;
}

/**
 * Loads a checkpoint into the experiment's model (and optimizer). The model is built for the data
 * at hand, so a weight of another shape means the checkpoint was made for other data (or, when
 * resuming, another --model): said so with the data named, instead of loadStateDict's bare shapes.
 */
export function loadCheckpointFor(
  path: string,
  experiment: Experiment,
  data: DataDescription,
  otherCause: string,
  optimizer?: Optimizer,
): LoadedCheckpoint {
  try {
    return loadCheckpoint(path, experiment.model, optimizer);
  } catch (error) {
    const stored = readSafetensors(path).tensors;
    const misfit = Object.entries(experiment.model.stateDict()).find(
      ([key, t]) => stored[key] && formatShape(stored[key].shape) !== formatShape(t.shape),
    );
    if (misfit === undefined) throw error;
    const [key, needed] = misfit;
    throw new Error(
      `${path} does not fit ${data.name} (${data.shape.join('×')} images, ${data.classes} classes): its ${key} has shape ${formatShape(stored[key].shape)}, ` +
        `a ${experiment.kind} for this data needs ${formatShape(needed.shape)} (the checkpoint was trained on other data${otherCause})`,
    );
  }
}
