/**
 * Training checkpoints: the model's state dict as safetensors tensors (PyTorch-loadable), and in
 * the metadata what resuming needs — the epoch, the optimizer's state, the state of every generator
 * a run draws from (the shuffling one, and the default one that draws every mask and every Cutout /
 * Random Erasing), and the flags the model was built from (so `dropgrad eval` can rebuild it).
 * Saving is atomic (temp file + rename); loading validates everything before changing anything.
 */
import type { Module } from '../../nn/module';
import type { Tensor } from '../../lib/tensor';
import type { Optimizer, OptimizerState } from '../../nn/optim/optimizer';
import { readSafetensors, save } from './safetensors-file';
import type { SafetensorsMetadata } from './safetensors/header';
import { generatorStateDescription, isGeneratorState } from '../../lib/random/generator';
import { formatValue } from '../../base/shape';

const FORMAT = 'dropgrad-checkpoint/1';

export type CheckpointConfig = Record<string, string | boolean | undefined>;

export interface CheckpointContents {
  model: Module;
  optimizer: Optimizer;
  /** Epochs completed. */
  epoch: number;
  shuffleState: number[];
  /** The default generator's state (defaultGenerator.getState()): the masks and the input drops draw from it. */
  maskState: number[];
  config: CheckpointConfig;
}

export interface LoadedCheckpoint {
  epoch: number;
  shuffleState: number[];
  /** null in a checkpoint written before the masks' generator was stored (its weights still load). */
  maskState: number[] | null;
  config: CheckpointConfig;
}

/** The generator states a checkpoint stores: the field of CheckpointContents, and its metadata key. */
const generatorFields = [
  ['shuffleState', 'shuffle'],
  ['maskState', 'masks'],
] as const;

/** Flag values as the CLI records them; loadCheckpoint refuses anything else. */
const isConfig = (value: unknown): value is CheckpointConfig =>
  isObject(value) && Object.values(value).every((v) => typeof v === 'string' || typeof v === 'boolean' || v === undefined);

/** Writes a checkpoint; refuses (before writing) contents loadCheckpoint would refuse, so every saved run can be resumed. */
export function saveCheckpoint(path: string, c: CheckpointContents): void {
  if (!(Number.isSafeInteger(c.epoch) && c.epoch >= 0))
    throw new RangeError(`saveCheckpoint: epoch must be the number of completed epochs, an integer ≥ 0, got ${c.epoch}`);
  for (const [field] of generatorFields) {
    if (!isGeneratorState(c[field]))
      throw new RangeError(
        `saveCheckpoint: ${field} must be ${generatorStateDescription} (Generator.getState()), got ${formatValue(c[field])}`,
      );
  }
  if (!isConfig(c.config))
    throw new RangeError(`saveCheckpoint: config must be an object of flag values (strings or booleans), got ${formatValue(c.config)}`);
  save(c.model, path, {
    metadata: {
      format: FORMAT,
      epoch: String(c.epoch),
      optimizer: JSON.stringify(c.optimizer.stateDict()),
      shuffle: JSON.stringify(c.shuffleState),
      masks: JSON.stringify(c.maskState),
      config: JSON.stringify(c.config),
    },
  });
}

type Metadata = SafetensorsMetadata;

/** Refuses a checkpoint field, naming the file, the field, what it holds and what was expected. */
function invalid(path: string, key: string, value: unknown, expected: string): never {
  const shown = JSON.stringify(value) ?? String(value);
  throw new Error(
    `loadCheckpoint: ${path} has an invalid "${key}" in its metadata: expected ${expected}, got ${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}`,
  );
}

function parseJson(path: string, metadata: Metadata, key: string): unknown {
  const text = metadata[key];
  if (text === undefined) throw new Error(`loadCheckpoint: ${path} has no "${key}" in its metadata (not a dropgrad checkpoint?)`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return invalid(path, key, text, 'JSON');
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function checkFormat(path: string, metadata: Metadata): void {
  if (metadata.format !== FORMAT) {
    throw new Error(
      `loadCheckpoint: ${path} is not a dropgrad checkpoint (metadata format ${JSON.stringify(metadata.format)}, expected "${FORMAT}"); plain safetensors files load with load()/loadInto()`,
    );
  }
}

/** Epochs completed: decimal digits only ("1e300", "", " 3" and "-1" are refused), a safe integer. */
function readEpoch(path: string, metadata: Metadata): number {
  const text = metadata.epoch;
  if (text === undefined) throw new Error(`loadCheckpoint: ${path} has no "epoch" in its metadata (not a dropgrad checkpoint?)`);
  const epoch = Number(text);
  if (!/^(0|[1-9][0-9]*)$/.test(text) || !Number.isSafeInteger(epoch))
    invalid(path, 'epoch', text, 'the number of completed epochs, an integer ≥ 0 in decimal digits');
  return epoch;
}

function readConfig(path: string, metadata: Metadata): CheckpointConfig {
  const config = parseJson(path, metadata, 'config');
  if (!isConfig(config)) invalid(path, 'config', config, 'an object of flag values (strings or booleans)');
  return config;
}

/** A Generator.getState() as JSON stores it (the spare normal's NaN as null). */
function readGeneratorState(path: string, metadata: Metadata, key: string): number[] {
  const state = parseJson(path, metadata, key);
  if (!isGeneratorState(state)) return invalid(path, key, state, generatorStateDescription);
  return state.map((v) => v ?? NaN);
}

function readOptimizerState(path: string, metadata: Metadata): OptimizerState {
  const state = parseJson(path, metadata, 'optimizer');
  if (!isObject(state)) invalid(path, 'optimizer', state, 'an optimizer state object { step, lr, buffers }');
  return state as OptimizerState;
}

/** The flags a checkpoint's model was trained with. */
export function readCheckpointConfig(path: string): CheckpointConfig {
  const { metadata } = readSafetensors(path);
  checkFormat(path, metadata);
  return readConfig(path, metadata);
}

/** Reads and validates a checkpoint's metadata without loading it into anything. */
export function inspectCheckpoint(path: string): LoadedCheckpoint {
  return readMetadata(path, readSafetensors(path).metadata);
}

function readMetadata(path: string, metadata: Metadata): LoadedCheckpoint & { optimizerState: OptimizerState } {
  checkFormat(path, metadata);
  return {
    epoch: readEpoch(path, metadata),
    shuffleState: readGeneratorState(path, metadata, 'shuffle'),
    maskState: metadata.masks === undefined ? null : readGeneratorState(path, metadata, 'masks'),
    config: readConfig(path, metadata),
    optimizerState: readOptimizerState(path, metadata),
  };
}

/**
 * NaN or infinite weights would fail training at its first batches as if the learning rate were
 * too high, or give a NaN evaluation: the tensor is named instead.
 */
function refuseNonFiniteWeights(path: string, tensors: Record<string, Tensor>): void {
  for (const [key, t] of Object.entries(tensors)) {
    const at = t.data.findIndex((v) => !Number.isFinite(v));
    if (at >= 0) throw new Error(`loadCheckpoint: ${path} holds non-finite weights (${key} is ${t.data[at]} at index ${at})`);
  }
}

/**
 * Loads the weights into `model` and, when given, the optimizer state. Every metadata field and
 * every weight is validated first; then either both change or neither: the optimizer (which checks
 * its state before changing) is restored to its previous state if the model refuses the weights.
 */
export function loadCheckpoint(path: string, model: Module, optimizer?: Optimizer): LoadedCheckpoint {
  const { tensors, metadata } = readSafetensors(path);
  const { optimizerState, ...loaded } = readMetadata(path, metadata);
  refuseNonFiniteWeights(path, tensors);
  const previous = optimizer?.stateDict();
  try {
    optimizer?.loadStateDict(optimizerState);
  } catch (error) {
    throw new Error(
      `loadCheckpoint: ${path} has an invalid "optimizer" in its metadata: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  try {
    model.loadStateDict(tensors);
  } catch (error) {
    if (optimizer && previous) optimizer.loadStateDict(previous);
    throw error;
  }
  return loaded;
}
