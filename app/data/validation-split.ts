/**
 * A validation split carved from a training set, for choosing settings without the test set: a
 * fixed seed draws `validationSize` image indices uniformly from the whole training set, and the
 * training subset is the first `trainLimit` of the images left, in file order. So
 *
 * - the validation images are the same for every `trainLimit` (probes at 250 and at 500 training
 *   images are scored on the same images), and the same on every machine (the generator is
 *   integer arithmetic);
 * - the training subset is the one a run without a validation split trains on (the first
 *   `trainLimit` images) minus the few of them the draw took, so a setting is chosen for nearly
 *   the training images the final runs use;
 * - the two are disjoint by construction.
 *
 * This file is browser-safe: indices only; imageSubset (dataset.ts) copies the images.
 */
import { Generator } from '../../lib/random/generator';
import { checkOptions, checkPositiveInteger, optionKeys } from '../../lib/validate';
import { formatValue } from '../../base/shape';

/**
 * The seed of the draw. Fixed for good: every probe, on any machine, is scored on the same
 * images, and changing it would make earlier probes incomparable with later ones.
 */
export const validationSplitSeed = 314159;

export interface ValidationSplitOptions {
  /** Images in the validation split. */
  validationSize: number;
  /** Training images to keep, the first of those left (default: all of them). */
  trainLimit?: number;
  /** Default validationSplitSeed. */
  seed?: number;
}
const validationSplitOptionKeys = optionKeys<ValidationSplitOptions>({ validationSize: true, trainLimit: true, seed: true });

export interface ValidationSplit {
  /** Indices into the training set, ascending. */
  validation: Uint32Array;
  /** Indices into the training set, ascending, none of them in `validation`. */
  train: Uint32Array;
}

/** Splits the indices 0 … size−1 of a training set of `size` images. */
export function validationSplit(size: number, options: ValidationSplitOptions): ValidationSplit {
  const where = 'validationSplit';
  checkOptions(where, options, validationSplitOptionKeys);
  checkPositiveInteger(where, 'size', size);
  const { validationSize, trainLimit, seed = validationSplitSeed } = options;
  checkPositiveInteger(where, 'validationSize', validationSize);
  if (trainLimit !== undefined) checkPositiveInteger(where, 'trainLimit', trainLimit);
  if (!Number.isInteger(seed)) throw new RangeError(`${where}: seed must be an integer, got ${formatValue(seed)}`);
  const needed = validationSize + (trainLimit ?? 1);
  if (needed > size) {
    throw new RangeError(
      `${where}: ${validationSize} validation images and ${trainLimit ?? 'at least 1'} training image${(trainLimit ?? 1) === 1 ? '' : 's'} need ${needed} images, but the training set has ${size}`,
    );
  }
  // The first validationSize steps of a Fisher–Yates shuffle: a uniform draw without replacement.
  const order = new Uint32Array(size);
  for (let i = 0; i < size; i++) order[i] = i;
  const generator = new Generator(seed);
  for (let i = 0; i < validationSize; i++) {
    const j = generator.integer(i, size);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const validation = order.slice(0, validationSize).sort();
  const taken = new Uint8Array(size);
  for (const i of validation) taken[i] = 1;
  const train = new Uint32Array(Math.min(trainLimit ?? size, size - validationSize));
  for (let i = 0, n = 0; n < train.length; i++) if (taken[i] === 0) train[n++] = i;
  return { validation, train };
}
