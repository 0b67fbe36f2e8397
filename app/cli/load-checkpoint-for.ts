import { formatShape } from '../../base/shape';
import type { Optimizer } from '../../nn/optim/optimizer';
import { type LoadedCheckpoint, loadCheckpoint } from '../serialization/checkpoint';
import { readSafetensors } from '../serialization/safetensors-file';
import type { Experiment } from '../setup/experiment';

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
