/**
 * The flags that keep choosing settings apart from the final measurement (compare's and
 * variance-shift's --split, --validation-size, --seed-offset): probes score on a validation split
 * carved from the training set (app/data/validation-split.ts) with seeds of their own, and only the
 * final runs read the test set, with seeds no probe used.
 */
import type { FlagSpecs, Flags } from '../flags/flag-spec';
import { UsageError } from '../flags/usage-error';
import { maxSeed, parseChoice, parseNumber } from '../flags/flag-values';
import type { DataRequest } from '../data/data-splits';
import { validationSplitSeed } from '../data/validation-split';

export const splitNames = ['test', 'validation'] as const;
export type SplitName = (typeof splitNames)[number];

/** As many images as the MNIST family's and CIFAR-10's test sets: a validation accuracy as precise as a test accuracy. */
export const defaultValidationSize = 10000;

/** --seed-offset K, which stochastic-depth takes alone (it has no validation split). */
export const seedOffsetFlag: FlagSpecs = {
  'seed-offset': {
    type: 'string',
    value: 'K',
    description: 'the first seed (seeds K … K+N-1): probes take 100, the final runs of `npm run results` 200, past every seed a probe used',
    default: '0',
  },
};

export const splitFlags: FlagSpecs = {
  split: {
    type: 'string',
    value: 'NAME',
    description: 'what scores the runs: test (the test set) or validation (images carved from the training set; the test set is not read)',
    default: 'test',
  },
  'validation-size': {
    type: 'string',
    value: 'N',
    description: `with --split validation: its images (default: --test-limit from the command line or the preset, else ${defaultValidationSize})`,
  },
  ...seedOffsetFlag,
};

export interface SplitChoice {
  split: SplitName;
  /** With the validation split: its images. */
  validationSize?: number;
  /** The runs' seeds are seedOffset … seedOffset + seeds − 1. */
  seedOffset: number;
}

/** --seed-offset K for `seeds` seeds per run: the last seed, and the shuffle seed after it (seed + 1), must stay seeds. */
export const parseSeedOffset = (flags: Flags, seeds: number): number =>
  parseNumber('seed-offset', String(flags['seed-offset']), { integer: true, min: 0, max: maxSeed - seeds });

/**
 * @param given the command line's flags (a preset's --test-limit is no request for a validation size)
 * @param flags the same with the preset applied and the defaults in place
 * @param seeds seeds per technique (parseSeedOffset)
 */
export function parseSplitFlags(given: Flags, flags: Flags, seeds: number): SplitChoice {
  const split = parseChoice('split', String(flags.split), splitNames);
  const seedOffset = parseSeedOffset(flags, seeds);
  if (split === 'test') {
    if (flags['validation-size'] !== undefined) {
      throw new UsageError(`--validation-size ${flags['validation-size']}: sizes the validation split; give it with --split validation`);
    }
    return { split, seedOffset };
  }
  if (given['test-limit'] !== undefined && flags['validation-size'] !== undefined) {
    throw new UsageError(
      `--test-limit ${given['test-limit']} with --split validation: the test set is not read; give the validation split's size as --validation-size alone`,
    );
  }
  const size = flags['validation-size'] ?? flags['test-limit'];
  const validationSize =
    size === undefined
      ? defaultValidationSize
      : parseNumber(flags['validation-size'] !== undefined ? 'validation-size' : 'test-limit', String(size), { integer: true, min: 1 });
  return { split, validationSize, seedOffset };
}

/** The data a run reads: the validation split reads no test image, so its request carries no test limit. */
export const splitDataRequest = (asked: DataRequest, choice: SplitChoice): DataRequest =>
  choice.validationSize === undefined
    ? asked
    : { source: asked.source, trainLimit: asked.trainLimit, validationSize: choice.validationSize };

/** What a run's first progress line adds on the validation split: where its images come from, and that the test set stays closed. */
export const splitNote = (split: SplitName): string =>
  split === 'test'
    ? ''
    : `; the validation examples are drawn from the training set by seed ${validationSplitSeed}, and the test set is not read`;
