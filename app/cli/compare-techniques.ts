/**
 * The techniques `dropgrad compare` knows: each as the `train` flags that switch it on, with the
 * row it is tested against. Settings follow the papers unless the sweep in docs/results/sweep.md
 * says otherwise for 28×28 images:
 *   Dropout p = 0.5 on the classifier's units (Srivastava et al. 2014); DropConnect 0.5 (Wan et al.
 *   2013); Gaussian dropout with σ² = p/(1−p) = 1 for p = 0.5 (Srivastava et al.); Dropout2d
 *   (Tompson et al. 2015); DropBlock keep_prob 0.9 with its linear schedule, and without it
 *   (Ghiasi et al. 2018: block 7 on ResNet-50's 14×14 and 7×7 maps; on our 28×28 and 14×14 maps the
 *   sweep found 7 ahead of 5 and 3); Cutout of half the image side, 14 (DeVries & Taylor 2017: 16
 *   of 32 pixels on CIFAR-10; the sweep found it ahead of 8);
 *   Random Erasing p = 0.5 (Zhong et al. 2017); Uout β (Li et al. 2019).
 * Alpha dropout is left out: it keeps SELU networks' self-normalizing mean and variance, and the
 * small CNN uses batch norm and ReLU.
 */
import { type Flags, UsageError } from './args';

export interface Technique {
  /** The `train` flags that switch the technique on (the model included when it is not the small CNN). */
  flags: Readonly<Flags>;
  /** The technique it is compared with (Welch's t-test); null for a baseline. */
  baseline: string | null;
}

export const techniques: Readonly<Record<string, Technique>> = {
  none: { flags: {}, baseline: null },
  dropout: { flags: { dropout: '0.5' }, baseline: 'none' },
  dropout2d: { flags: { dropout2d: '0.1' }, baseline: 'none' },
  gaussian: { flags: { gaussian: '0.5' }, baseline: 'none' },
  uout: { flags: { uout: '0.2' }, baseline: 'none' },
  dropconnect: { flags: { dropconnect: '0.5' }, baseline: 'none' },
  // The schedule is spelled out so that --dropblock-schedule on the command line replaces it here too.
  dropblock: { flags: { dropblock: '0.9:7', 'dropblock-schedule': 'linear' }, baseline: 'none' },
  'dropblock-no-schedule': { flags: { dropblock: '0.9:7', 'dropblock-schedule': 'none' }, baseline: 'none' },
  cutout: { flags: { cutout: '1:14' }, baseline: 'none' },
  'random-erasing': { flags: { 'random-erasing': '0.5' }, baseline: 'none' },
  // Stochastic depth needs residual blocks: it is compared with the same small ResNet without it.
  'resnet (none)': { flags: { model: 'resnet-small' }, baseline: null },
  'stochastic-depth': { flags: { model: 'resnet-small', 'stochastic-depth': '0.5' }, baseline: 'resnet (none)' },
};

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
