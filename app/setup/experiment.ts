/**
 * What `train` and `compare` share: turning the model and regularizer flags (the table of drop
 * techniques, drop-techniques.ts) into a model, the input transforms and the DropBlock schedule.
 */
import type { Tensor } from '../../lib/tensor';
import type { DType } from '../../base/dtype';
import type { FlagSpecs, Flags } from '../flags/flag-spec';
import { UsageError } from '../flags/usage-error';
import { parseChoice } from '../flags/flag-values';
import type { Module } from '../../nn/module';
import { smallCnn } from '../../nn/models/small-cnn';
import { resnet } from '../../nn/models/resnet';
import { DropBlock2d } from '../../nn/drop/dropblock';
import { type ModelName, type Regularization, modelNames, placedFlags, planRegularization, unplacedFlags } from './drop-techniques';

export const modelFlags: FlagSpecs = {
  model: {
    type: 'string',
    value: 'NAME',
    description:
      `small-cnn (every regularizer but ${unplacedFlags('small-cnn', ' and ')}, one per slot), resnet (3 stages × 2 blocks, 16/32/64 wide) or resnet-small (3 × 1, 8/16/32): ` +
      `the ResNets take ${placedFlags('resnet', ' and ')}`,
    default: 'small-cnn',
  },
  dtype: { type: 'string', value: 'DTYPE', description: 'float32 or float64', default: 'float32' },
};

/** What the flags ask for, every value checked; the model waits for the data's image shape. */
export interface ExperimentPlan extends Regularization {
  kind: ModelName;
  dtype: DType;
  /** The input drops as the DataLoader applies them: to training batches only. */
  transforms: Array<(x: Tensor) => Tensor>;
  /** A short label such as "dropout 0.5, cutout 1:8". */
  label: string;
}

export interface Experiment extends ExperimentPlan {
  model: Module;
  dropBlocks: DropBlock2d[];
}

/** Parses and checks the model and regularizer flags, before any data is read. */
export function planExperiment(flags: Flags): ExperimentPlan {
  const kind = parseChoice('model', String(flags.model ?? 'small-cnn'), modelNames);
  const dtype = parseChoice('dtype', String(flags.dtype ?? 'float32'), ['float32', 'float64'] as const) as DType;
  const { regularization, labels } = planRegularization(kind, flags);
  const transforms = regularization.inputDrops.map((drop) => (x: Tensor) => drop.forward(x));
  return { kind, dtype, ...regularization, transforms, label: labels.join(', ') || 'none' };
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
