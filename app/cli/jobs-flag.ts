import type { FlagSpec } from '../flags/flag-spec';
import { parseNumber } from '../flags/flag-values';

/** `--jobs N` as every command that runs its tasks through runTasks declares it; `what` names a task ("runs", "seeds"). */
export function jobsFlag(what: string, invariant: string): FlagSpec {
  return {
    type: 'string',
    value: 'N',
    description: `${what} at a time, each in a child process (with DROPGRAD_THREADS=1 unless set); ${invariant} do not depend on N`,
    default: '1',
  };
}

/** The value of `--jobs`: 1 to 64 processes. */
export const parseJobs = (value: unknown): number => parseNumber('jobs', String(value), { integer: true, min: 1, max: 64 });
