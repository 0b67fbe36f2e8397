/**
 * A resumed run trains what its checkpoint was trained as: the flags that decide the model, its
 * regularizers, the data and the training recipe must be the ones the checkpoint's config records.
 * Without this, `--resume ck --dropout 0.5` on a checkpoint trained without dropout would go on
 * silently as another experiment, and another --model would fail on an optimizer buffer count.
 */
import type { FlagSpecs, Flags } from '../flags/flag-spec';
import { UsageError } from '../flags/usage-error';
import type { CheckpointConfig } from '../serialization/checkpoint';

/**
 * The flags that may change on resume, because they change neither what is trained nor how:
 * --epochs (train on, further), --save and --resume (paths), --backend and --threads (where the
 * kernels run; the numbers do not depend on it), --test-limit (what the evaluation reads), and the
 * data's location — --data, --cifar and the four IDX files — since files move (data of another
 * shape is still refused when the weights are loaded).
 */
const mayChangeOnResume = new Set([
  'epochs',
  'save',
  'resume',
  'backend',
  'threads',
  'test-limit',
  'data',
  'cifar',
  'train-images',
  'train-labels',
  'test-images',
  'test-labels',
]);

const shown = (value: string | boolean | undefined): string =>
  value === undefined || value === false ? 'not given' : value === true ? 'given' : value;

/** Two spellings of one number (0.002 and 2e-3) are the same setting. */
function sameSetting(a: string | boolean | undefined, b: string | boolean | undefined): boolean {
  if (a === b || (a === undefined && b === false) || (a === false && b === undefined)) return true;
  return typeof a === 'string' && typeof b === 'string' && a.trim() !== '' && Number(a) === Number(b);
}

/** Refuses, before any data is read, a resume whose flags differ from the checkpoint's, naming each flag with both values. */
export function refuseChangedFlags(path: string, stored: CheckpointConfig, flags: Flags, specs: FlagSpecs): void {
  const changed = Object.entries(specs)
    .filter(([name]) => !mayChangeOnResume.has(name))
    .map(([name, spec]) => ({ name, was: stored[name] ?? spec.default, now: flags[name] ?? spec.default }))
    .filter(({ was, now }) => !sameSetting(was, now));
  if (changed.length === 0) return;
  const list = changed.map(({ name, was, now }) => `--${name} ${shown(was)} (this run: ${shown(now)})`).join(', ');
  throw new UsageError(
    `--resume ${path}: the checkpoint was trained with ${list}; resume with its flags (only ${[...mayChangeOnResume]
      .map((name) => `--${name}`)
      .join(', ')} may change)`,
  );
}
