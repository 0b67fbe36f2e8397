/**
 * Training checkpoints: the model's state dict as safetensors tensors (PyTorch-loadable), and in
 * the metadata what resuming needs — the epoch, the optimizer's state, the shuffling generator's
 * state, and the flags the model was built from (so `dropgrad eval` can rebuild it).
 * Saving is atomic (temp file + rename); loading validates everything before changing anything.
 */
import type { Module } from '../../nn/module';
import type { Optimizer, OptimizerState } from '../../nn/optim/optimizer';
import { readSafetensors, save } from './safetensors-file';
import { SafetensorsMetadata } from './safetensors';

const FORMAT = 'dropgrad-checkpoint/1';

export type CheckpointConfig = Record<string, string | boolean | undefined>;

export interface CheckpointContents {
  model: Module;
  optimizer: Optimizer;
  /** Epochs completed. */
  epoch: number;
  shuffleState: number[];
  config: CheckpointConfig;
}

export interface LoadedCheckpoint {
  epoch: number;
  shuffleState: number[];
  config: CheckpointConfig;
}

export function saveCheckpoint(path: string, c: CheckpointContents): void {
  save(c.model, path, {
    metadata: {
      format: FORMAT,
      epoch: String(c.epoch),
      optimizer: JSON.stringify(c.optimizer.stateDict()),
      shuffle: JSON.stringify(c.shuffleState),
      config: JSON.stringify(c.config),
    },
  });
}

function parseJson<T>(path: string, metadata: SafetensorsMetadata, key: string): T {
  const text = metadata[key];
  if (text === undefined) throw new Error(`loadCheckpoint: ${path} has no "${key}" in its metadata (not a dropgrad checkpoint?)`);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`loadCheckpoint: ${path} has unreadable "${key}" metadata`);
  }
}

function checkFormat(path: string, metadata: SafetensorsMetadata): void {
  if (metadata.format !== FORMAT) {
    throw new Error(`loadCheckpoint: ${path} is not a dropgrad checkpoint (metadata format ${JSON.stringify(metadata.format)}, expected "${FORMAT}"); plain safetensors files load with load()/loadInto()`);
  }
}

/** The flags a checkpoint's model was trained with. */
export function readCheckpointConfig(path: string): CheckpointConfig {
  const { metadata } = readSafetensors(path);
  checkFormat(path, metadata);
  return parseJson<CheckpointConfig>(path, metadata, 'config');
}

/**
 * Loads the weights into `model` and, when given, the optimizer state. Either both change or
 * neither: the optimizer is restored to its previous state if the model refuses the weights.
 */
export function loadCheckpoint(path: string, model: Module, optimizer?: Optimizer): LoadedCheckpoint {
  const { tensors, metadata } = readSafetensors(path);
  checkFormat(path, metadata);
  const epoch = Number(metadata.epoch);
  if (!Number.isInteger(epoch) || epoch < 0) throw new Error(`loadCheckpoint: ${path} has an invalid epoch ${JSON.stringify(metadata.epoch)}`);
  const shuffleState = parseJson<number[]>(path, metadata, 'shuffle');
  const config = parseJson<CheckpointConfig>(path, metadata, 'config');
  const optimizerState = parseJson<OptimizerState>(path, metadata, 'optimizer');
  const previous = optimizer?.stateDict();
  optimizer?.loadStateDict(optimizerState);
  try {
    model.loadStateDict(tensors);
  } catch (error) {
    if (optimizer && previous) optimizer.loadStateDict(previous);
    throw error;
  }
  return { epoch, shuffleState, config };
}
