import type { FlagSpec } from '../flags/flag-spec';

/** The learning-rate schedule flag of `train` and `compare` (each gives its own default). */
export const lrScheduleFlag: FlagSpec = {
  type: 'string',
  value: 'NAME',
  description: 'learning-rate schedule over all steps: cosine (to 0) or constant',
};
