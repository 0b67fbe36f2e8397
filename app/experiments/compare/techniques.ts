/**
 * The techniques `dropgrad compare` knows: each as the `train` flags that switch it on, with the
 * row it is tested against. They come from the table of drop techniques (app/setup/drop-techniques.ts), where
 * each says the settings it is compared with and why.
 */
import type { Flags } from '../../flags/flag-spec';
import { UsageError } from '../../flags/usage-error';
import { type ModelName, architectureOf, dropTechniques } from '../../setup/drop-techniques';

/** The model each compared technique runs on, with the flags that choose it (none for the small CNN, the default). */
const compareModels: ReadonlyArray<{ model: ModelName; baseline: string; flags: Readonly<Flags> }> = [
  { model: 'small-cnn', baseline: 'none', flags: {} },
  // Stochastic depth needs residual blocks: it is compared with the same small ResNet without it.
  { model: 'resnet-small', baseline: 'resnet (none)', flags: { model: 'resnet-small' } },
];

export interface ComparedTechnique {
  /** The `train` flags that switch the technique on (the model included when it is not the small CNN). */
  flags: Readonly<Flags>;
  /** The technique it is compared with (Welch's t-test); null for a baseline. */
  baseline: string | null;
}

/** compare's rows: each model's baseline, then the techniques compared on it, in the table's order. */
function comparedTechniques(): Record<string, ComparedTechnique> {
  const rows: Record<string, ComparedTechnique> = {};
  for (const { model, baseline, flags } of compareModels) {
    rows[baseline] = { flags, baseline: null };
    for (const technique of dropTechniques) {
      const home = compareModels.find((m) => technique.slots[architectureOf(m.model)] !== undefined);
      if (home?.model !== model) continue;
      for (const [name, own] of Object.entries(technique.compare ?? {})) rows[name] = { flags: { ...flags, ...own }, baseline };
    }
  }
  return rows;
}

export const techniques: Readonly<Record<string, ComparedTechnique>> = comparedTechniques();

/** A technique's flags as typed on the command line, e.g. "--dropblock 0.9:3 --dropblock-schedule none". */
export function formatSettings(flags: Readonly<Flags>): string {
  return (
    Object.entries(flags)
      .map(([k, v]) => `--${k} ${v}`)
      .join(' ') || '—'
  );
}

/**
 * Each technique's flags with the settings given on the command line in place of its own (for a
 * sweep: `--cutout 1:8` changes the cutout row). A setting no chosen technique uses is an error.
 */
export function techniqueFlags(names: readonly string[], settings: Readonly<Flags>): Flags[] {
  const given = Object.entries(settings).filter(([, v]) => v !== undefined);
  for (const [flag, value] of given) {
    if (!names.some((name) => Object.hasOwn(techniques[name].flags, flag))) {
      const users = Object.keys(techniques).filter((name) => Object.hasOwn(techniques[name].flags, flag));
      throw new UsageError(
        `--${flag} ${value}: replaces the setting of ${users.length ? users.join(', ') : 'no technique'}, and --techniques leaves ${users.length === 1 ? 'it' : 'them'} out`,
      );
    }
  }
  return names.map((name) => {
    const flags: Flags = { ...techniques[name].flags };
    for (const [flag, value] of given) if (Object.hasOwn(flags, flag)) flags[flag] = value;
    return flags;
  });
}
