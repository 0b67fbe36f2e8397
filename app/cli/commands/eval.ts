/** `dropgrad eval`: test accuracy and the confusion matrix of a saved model. */
import type { CommandSpec } from '../args';
import type { Flags } from '../../flags/flag-spec';
import { UsageError } from '../../flags/usage-error';
import { type DataSource, loadData } from '../../data/data-splits';
import { dataFlags, dataNotes, dataSourceFlags, describeDataSource, givesDataSource, parseDataFlags } from '../data-flags';
import { type ExperimentPlan, buildExperiment, planExperiment } from '../../setup/experiment';
import { loadCheckpointFor } from '../load-checkpoint-for';
import type { CliIO } from '../io';
import { DataLoader } from '../../data/data-loader';
import { evaluate } from '../../training/evaluate';
import { type CheckpointConfig, readCheckpointConfig } from '../../serialization/checkpoint';

export const evalSpec: CommandSpec = {
  name: 'eval',
  summary: 'Evaluate a checkpoint written by `dropgrad train --save`: test accuracy and confusion matrix.',
  flags: {
    load: { type: 'string', value: 'FILE', description: 'the checkpoint (safetensors) to evaluate' },
    // Without --limit: eval reads no training images (--test-limit limits what it scores).
    ...Object.fromEntries(Object.entries(dataFlags).filter(([name]) => name !== 'limit')),
  },
  notes: dataNotes,
};

/**
 * confusion[true][predicted] as a table. Class names that say more than the class number (Fashion-
 * MNIST's, CIFAR-10's) label the rows, after the number; the columns keep the numbers only, so
 * that a long name ('Ankle boot') does not widen all ten of them.
 */
export function formatConfusion(confusion: number[][], classNames?: readonly string[]): string {
  const width = Math.max(5, ...confusion.flat().map((v) => String(v).length + 1));
  const corner = 'true\\pred';
  const named = classNames?.some((name, k) => name !== String(k)) === true;
  const labels = confusion.map((_, t) => (named ? `${t} ${classNames[t]}` : String(t)));
  const labelWidth = Math.max(corner.length, ...labels.map((label) => label.length));
  // Numbers alone are right-aligned, under one another; names read from the left.
  const pad = (label: string): string => (named ? label.padEnd(labelWidth) : label.padStart(labelWidth));
  const header = `${corner.padEnd(labelWidth)}${confusion.map((_, k) => String(k).padStart(width)).join('')}`;
  const rows = confusion.map((row, t) => `${pad(labels[t])}${row.map((v) => String(v).padStart(width)).join('')}`);
  return [header, ...rows].join('\n');
}

/** The model a checkpoint was trained with; a bad stored value is the file's fault, not a flag's. */
function planFromCheckpoint(path: string, config: CheckpointConfig): ExperimentPlan {
  try {
    return planExperiment(config);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new Error(
      `${path} stores a model configuration this dropgrad cannot rebuild (in its "config" metadata, not a flag you passed): ${error.message.replace(/^--/, '')}`,
    );
  }
}

/**
 * The data the checkpoint was trained on, from the data flags its config records (--dataset, --data,
 * --cifar, the IDX files): a model trained on Fashion-MNIST or on digits in another directory would
 * otherwise be scored on MNIST, which has the same shape.
 */
function trainedOn(path: string, config: CheckpointConfig): DataSource {
  try {
    return parseDataFlags(dataSourceFlags(config)).source;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new Error(`${path} names a data set this dropgrad does not know (in its "config" metadata): ${error.message.replace(/^--/, '')}`);
  }
}

export function runEval(flags: Flags, io: CliIO): number {
  if (flags.load === undefined) throw new UsageError('eval: --load FILE is required (a checkpoint written by `dropgrad train --save`)');
  const path = String(flags.load);
  const dataRequest = parseDataFlags(flags);
  // The model is rebuilt from the flags it was trained with, stored in the checkpoint.
  const config = readCheckpointConfig(path);
  const plan = planFromCheckpoint(path, config);
  const trained = trainedOn(path, config);
  // Data flags score the model on other data, on purpose; said once, so that it is not by mistake.
  if (givesDataSource(flags) && JSON.stringify(dataRequest.source) !== JSON.stringify(trained)) {
    io.err.write(
      `dropgrad eval: note: ${path} was trained on ${describeDataSource(config)}; scoring it on ${describeDataSource(flags)} as the flags ask\n`,
    );
  }
  const data = loadData(givesDataSource(flags) ? dataRequest : { ...dataRequest, source: trained }, false);
  const experiment = buildExperiment(plan, data.test.shape, data.test.classes);
  loadCheckpointFor(path, experiment, { name: data.name, shape: data.test.shape, classes: data.test.classes }, '');
  const result = evaluate(
    experiment.model,
    new DataLoader(data.test, { batchSize: 500, dtype: plan.dtype, limit: data.testLimit }),
    data.test.classes,
  );
  io.out.write(
    `${path} on ${data.name} test set: accuracy ${(100 * result.accuracy).toFixed(2)}% (${result.examples} examples), loss ${result.loss.toFixed(4)}\n\n`,
  );
  io.out.write(`${formatConfusion(result.confusion, data.test.classNames)}\n`);
  return 0;
}
