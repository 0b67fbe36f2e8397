/**
 * The drop techniques of `train` and `compare`, said once: each with its flag (and the flags that
 * tune it), how its value is parsed into the model's regularizers or the input transforms, its
 * label, the place it takes in each model, and the rows `compare` tests it in. The flags, --help,
 * the labels, the refusal of mixes a model cannot hold and compare's technique list all read it.
 */
import type { FlagSpec, FlagSpecs, Flags } from '../flags/flag-spec';
import { UsageError } from '../flags/usage-error';
import { type NumberRule, parseChoice, parseNumber, parsePair } from '../flags/flag-values';
import type { SmallCnnRegularizers } from '../../nn/models/small-cnn';
import { Cutout } from '../../nn/drop/cutout';
import { RandomErasing } from '../../nn/drop/random-erasing';

export const modelNames = ['small-cnn', 'resnet', 'resnet-small'] as const;
export type ModelName = (typeof modelNames)[number];
/** The models by their places: both ResNets have the same ones. */
export type Architecture = 'small-cnn' | 'resnet';
export const architectureOf = (model: ModelName): Architecture => (model === 'small-cnn' ? 'small-cnn' : 'resnet');

/** What the techniques ask of the model and its input, every value checked; the model is built from it once the data is read. */
export interface Regularization {
  regularizers: SmallCnnRegularizers;
  /** Stochastic depth's survival probability of the last block (resnets only). */
  pL?: number;
  /** Input-level drops (Cutout, Random Erasing) as layers in training mode, for the record. */
  inputDrops: Array<Cutout | RandomErasing>;
  /** DropBlock's target keep_prob, reached linearly over training (the paper's schedule); null without DropBlock or with a fixed keep_prob. */
  dropBlockTarget: number | null;
}

/** A place in a model. One that holds one technique refuses a second: the model would silently train only one of them. */
interface Slot {
  place: string;
  holdsOne: boolean;
}
const slots = {
  classifier: { place: "the classifier's drop slot (before and after its hidden layer)", holdsOne: true },
  spatial: { place: 'the spatial drop slot after each conv stage', holdsOne: true },
  hidden: { place: 'the hidden linear layer', holdsOne: true },
  // Input drops are transforms of the batch, applied in turn: any number of them.
  input: { place: 'the input images', holdsOne: false },
  stages: { place: 'the DropBlock layers after stages 2 and 3', holdsOne: true },
  blocks: { place: 'the residual blocks', holdsOne: true },
} satisfies Record<string, Slot>;

export interface DropTechnique {
  /** The flag that switches it on, with its value's name and help. */
  flag: string;
  spec: FlagSpec;
  /** Flags that only tune it (DropBlock's schedule). */
  tuning?: FlagSpecs;
  /**
   * Parses its flag's value (`undefined` when not given) and its tuning flags into `into`, and
   * returns its label, or undefined when it is not asked for.
   */
  plan(value: string | undefined, flags: Flags, into: Regularization): string | undefined;
  /** Its place in each architecture; one without it has no place for the technique. */
  slots: Partial<Record<Architecture, Slot>>;
  /** Why it has no place where it has none, when it needs a kind of model. */
  needs?: string;
  /**
   * The rows `compare` tests it in, by name: its flags set as the papers do unless the sweep in
   * docs/results/sweep.md says otherwise for 28×28 images. Compared with the first model that has
   * a place for it, without any technique.
   */
  compare?: Readonly<Record<string, Readonly<Flags>>>;
}

const probability: NumberRule = { min: 0, max: 1 };

/** A technique whose value is one number, checked by `rule` and kept by `keep`; its label is the flag and the value as typed. */
function numberTechnique(flag: string, rule: NumberRule, keep: (value: number, into: Regularization) => void) {
  return (value: string | undefined, _flags: Flags, into: Regularization): string | undefined => {
    if (value === undefined) return undefined;
    keep(parseNumber(flag, value, rule), into);
    return `${flag} ${value}`;
  };
}

/** A technique whose value is one number, kept as the small CNN's regularizer `key`. */
function smallCnnValue(flag: string, rule: NumberRule, key: Exclude<keyof SmallCnnRegularizers, 'dropBlock'>) {
  return numberTechnique(flag, rule, (value, into) => {
    into.regularizers[key] = value;
  });
}

const dropBlockSchedules = ['linear', 'none'] as const;

export const dropTechniques: readonly DropTechnique[] = [
  {
    flag: 'dropout',
    spec: { type: 'string', value: 'P', description: 'Dropout (P: probability of dropping a unit) before and after the hidden layer' },
    plan: smallCnnValue('dropout', probability, 'dropout'),
    slots: { 'small-cnn': slots.classifier },
    // Srivastava et al. 2014: p = 0.5 on the classifier's units.
    compare: { dropout: { dropout: '0.5' } },
  },
  {
    flag: 'dropout2d',
    spec: { type: 'string', value: 'P', description: 'Dropout2d (P: probability of dropping a channel) after each conv stage' },
    plan: smallCnnValue('dropout2d', probability, 'dropout2d'),
    slots: { 'small-cnn': slots.spatial },
    // Tompson et al. 2015.
    compare: { dropout2d: { dropout2d: '0.1' } },
  },
  {
    flag: 'dropout-conv',
    spec: {
      type: 'string',
      value: 'P',
      description: 'elementwise Dropout (P) after each conv stage, where Dropout2d and DropBlock go: the three compared at one place',
    },
    plan: smallCnnValue('dropout-conv', probability, 'dropoutConv'),
    slots: { 'small-cnn': slots.spatial },
    // The baseline Tompson et al. and Ghiasi et al. compare against: elementwise dropout on the same
    // feature maps, at Dropout2d's and DropBlock's drop rate (0.1).
    compare: { 'dropout-conv': { 'dropout-conv': '0.1' } },
  },
  {
    flag: 'gaussian',
    spec: { type: 'string', value: 'P', description: 'Gaussian dropout N(1, P/(1-P)) in the classifier (P < 1, as for dropout)' },
    plan: smallCnnValue('gaussian', { min: 0, max: 0.99 }, 'gaussianDropout'),
    slots: { 'small-cnn': slots.classifier },
    // Srivastava et al.: σ² = p/(1−p) = 1 for p = 0.5.
    compare: { gaussian: { gaussian: '0.5' } },
  },
  {
    flag: 'uout',
    spec: { type: 'string', value: 'BETA', description: 'Uout noise 1+U(-beta, beta) in the classifier' },
    plan: smallCnnValue('uout', { min: 0, max: 1 }, 'uout'),
    slots: { 'small-cnn': slots.classifier },
    // Li et al. 2019.
    compare: { uout: { uout: '0.2' } },
  },
  {
    flag: 'alpha-dropout',
    spec: { type: 'string', value: 'P', description: 'Alpha dropout in the classifier' },
    plan: smallCnnValue('alpha-dropout', probability, 'alphaDropout'),
    slots: { 'small-cnn': slots.classifier },
    // Not compared: it keeps SELU networks' self-normalizing mean and variance, and the small CNN uses batch norm and ReLU.
  },
  {
    flag: 'dropconnect',
    spec: { type: 'string', value: 'P', description: 'DropConnect (P: probability of dropping a weight) on the hidden layer' },
    plan: smallCnnValue('dropconnect', probability, 'dropConnect'),
    slots: { 'small-cnn': slots.hidden },
    // Wan et al. 2013.
    compare: { dropconnect: { dropconnect: '0.5' } },
  },
  {
    flag: 'dropblock',
    spec: {
      type: 'string',
      value: 'KEEP:SIZE',
      description: "DropBlock in the paper's notation: keep_prob falls linearly from 1 to KEEP (p = 1 - KEEP), blocks of SIZE",
    },
    tuning: {
      'dropblock-schedule': {
        type: 'string',
        value: 'NAME',
        description:
          "DropBlock's keep_prob: linear (the paper's decrease from 1 to KEEP over training; default) or none (KEEP from the first step)",
      },
    },
    plan(value, flags, into) {
      const schedule = flags['dropblock-schedule'] as string | undefined;
      const scheduled = parseChoice('dropblock-schedule', schedule ?? 'linear', dropBlockSchedules) === 'linear';
      if (value === undefined) {
        if (schedule !== undefined)
          throw new UsageError(`--dropblock-schedule: ${JSON.stringify(schedule)} given without --dropblock KEEP:SIZE`);
        return undefined;
      }
      const [keep, size] = parsePair('dropblock', value, 'KEEP:SIZE', probability, { integer: true, min: 1 });
      // The schedule takes p from 0 to 1 − KEEP; without it p is 1 − KEEP from the first step.
      into.regularizers.dropBlock = { p: scheduled ? 0 : 1 - keep, blockSize: size };
      into.dropBlockTarget = scheduled ? keep : null;
      return `dropblock ${value}${scheduled ? '' : ' (no schedule)'}`;
    },
    slots: { 'small-cnn': slots.spatial, resnet: slots.stages },
    // Ghiasi et al. 2018: keep_prob 0.9 with its linear schedule, and without it; block 7 on ResNet-50's
    // 14×14 and 7×7 maps. On our 28×28 and 14×14 maps the validation probes of docs/results/sweep.md
    // put 5 ahead of 3 and 7 (by 0.01 and 0.09 points: the rule takes the best mean, however close).
    // The schedule is spelled out so that --dropblock-schedule on the command line replaces it here too.
    compare: {
      dropblock: { dropblock: '0.9:5', 'dropblock-schedule': 'linear' },
      'dropblock-no-schedule': { dropblock: '0.9:5', 'dropblock-schedule': 'none' },
    },
  },
  {
    flag: 'stochastic-depth',
    spec: {
      type: 'string',
      value: 'PL',
      description: "stochastic depth in the paper's notation: survival probability PL of the last block (needs --model resnet)",
    },
    plan: numberTechnique('stochastic-depth', probability, (pL, into) => {
      into.pL = pL;
    }),
    slots: { resnet: slots.blocks },
    needs: 'stochastic depth drops residual blocks',
    // Huang et al. 2016: p_L = 0.5.
    compare: { 'stochastic-depth': { 'stochastic-depth': '0.5' } },
  },
  {
    flag: 'cutout',
    spec: { type: 'string', value: 'HOLES:LENGTH', description: 'Cutout: HOLES squares of side LENGTH on each input image' },
    plan(value, _flags, into) {
      if (value === undefined) return undefined;
      const [holes, length] = parsePair('cutout', value, 'HOLES:LENGTH', { integer: true, min: 1 }, { integer: true, min: 1 });
      into.inputDrops.push(new Cutout(length, { holes }));
      return `cutout ${value}`;
    },
    slots: { 'small-cnn': slots.input, resnet: slots.input },
    // DeVries & Taylor 2017: half the image side, 16 of 32 pixels on CIFAR-10; 14 here (the validation probes of
    // docs/results/sweep.md put it ahead of 8).
    compare: { cutout: { cutout: '1:14' } },
  },
  {
    flag: 'random-erasing',
    spec: { type: 'string', value: 'P', description: 'Random Erasing: erase each input image with probability P' },
    plan: numberTechnique('random-erasing', probability, (p, into) => {
      into.inputDrops.push(new RandomErasing(p));
    }),
    slots: { 'small-cnn': slots.input, resnet: slots.input },
    // Zhong et al. 2017.
    compare: { 'random-erasing': { 'random-erasing': '0.5' } },
  },
];

/** The flags of `techniques` as --help lists them, each followed by those that tune it. */
export function techniqueFlagSpecs(techniques: readonly DropTechnique[]): FlagSpecs {
  return Object.fromEntries(techniques.flatMap((t) => [[t.flag, t.spec], ...Object.entries(t.tuning ?? {})]));
}

/** Every regularizer flag of `train`. */
export const regularizerFlags: FlagSpecs = techniqueFlagSpecs(dropTechniques);

const flagList = (techniques: readonly DropTechnique[], last = ', '): string => {
  const flags = techniques.map((t) => `--${t.flag}`);
  return flags.length < 2 ? flags.join('') : `${flags.slice(0, -1).join(', ')}${last}${flags[flags.length - 1]}`;
};

/** The techniques `model` has a place for, as flags: "--dropblock, --stochastic-depth, …", the last joined by `last`. */
export function placedFlags(model: ModelName, last = ', '): string {
  return flagList(
    dropTechniques.filter((t) => t.slots[architectureOf(model)] !== undefined),
    last,
  );
}

/** The techniques `model` has no place for, as flags joined by `last` before the last one. */
export function unplacedFlags(model: ModelName, last = ', '): string {
  return flagList(
    dropTechniques.filter((t) => t.slots[architectureOf(model)] === undefined),
    last,
  );
}

/** The models with a place for every one of `techniques`. */
const modelsPlacing = (techniques: readonly DropTechnique[]): ModelName[] =>
  modelNames.filter((m) => techniques.every((t) => t.slots[architectureOf(m)] !== undefined));

/**
 * Refuses techniques `model` has no place for, or two that compete for a place that holds one,
 * naming the flags: the model would silently train without them.
 */
function refuseUnplaceable(model: ModelName, given: readonly DropTechnique[]): void {
  const architecture = architectureOf(model);
  const unplaced = given.filter((t) => t.slots[architecture] === undefined);
  const needing = unplaced.find((t) => t.needs !== undefined);
  if (needing !== undefined) {
    throw new UsageError(`--${needing.flag}: needs --model ${modelsPlacing([needing]).join(' or ')} (${needing.needs})`);
  }
  if (unplaced.length > 0) {
    const elsewhere = modelsPlacing(unplaced);
    throw new UsageError(
      `${flagList(unplaced)}: --model ${model} has no place for ${unplaced.length === 1 ? 'it' : 'them'}; it takes ${placedFlags(model)}` +
        (elsewhere.length > 0 ? ` (or use --model ${elsewhere.join(' or ')})` : ''),
    );
  }
  const places = new Set(given.map((t) => t.slots[architecture] as Slot));
  for (const slot of places) {
    const competing = given.filter((t) => t.slots[architecture] === slot);
    if (slot.holdsOne && competing.length > 1) {
      throw new UsageError(
        `${competing.map((t) => `--${t.flag}`).join(' and ')} ${competing.length === 2 ? 'both' : 'all'} put their noise in ${slot.place}; give one`,
      );
    }
  }
}

/**
 * What the flags ask of the model and its input: each technique's value parsed in the table's
 * order, then the mix refused if `model` cannot hold it. Returns the labels of those asked for.
 */
export function planRegularization(model: ModelName, flags: Flags): { regularization: Regularization; labels: string[] } {
  const regularization: Regularization = { regularizers: {}, inputDrops: [], dropBlockTarget: null };
  const labels: string[] = [];
  const given: DropTechnique[] = [];
  for (const technique of dropTechniques) {
    const label = technique.plan(flags[technique.flag] as string | undefined, flags, regularization);
    if (label === undefined) continue;
    labels.push(label);
    given.push(technique);
  }
  refuseUnplaceable(model, given);
  return { regularization, labels };
}
