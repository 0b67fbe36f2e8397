/**
 * What every drop technique shares. Functional forms follow one rule,
 *
 *   F.<technique>(x, <main hyper-parameter>, { training = true, generator, ...the rest })
 *
 * and `{ training: false }` is the identity. Layers take the same first argument and options
 * (minus `training`: a layer follows module.train() / module.eval()), and call the same function
 * their functional form calls, keeping the mask it drew in `lastMask` for inspection.
 */
import type { Tensor } from '../../lib/tensor';
import { Module } from '../module';
import { checkOptions, checkProbability, optionKeys } from '../../lib/validate';
import { type Generator, generatorOf } from '../../lib/random/generator';

export interface DropOptions {
  /** Apply the technique (default true); false is the identity, as in evaluation. */
  training?: boolean;
  /** Where the mask's randomness comes from (null or undefined: the global generator, seeded by manualSeed). */
  generator?: Generator | null;
}
export const dropOptionKeys = optionKeys<DropOptions>({ training: true, generator: true });

/**
 * Whether a functional form applies its technique: options.training, default true. Checks the
 * options first: an object (so a caller of the old positional `dropout(x, p, false)` gets an error
 * rather than a silently applied mask) of the technique's `keys`, with a valid generator.
 */
export function isTraining(technique: string, options: DropOptions, keys: readonly string[] = dropOptionKeys): boolean {
  checkOptions(technique, options, keys, 'an object such as { training: false }');
  generatorOf(technique, options.generator);
  const training = options.training ?? true;
  if (typeof training !== 'boolean') throw new TypeError(`${technique}: options.training must be a boolean, got ${String(training)}`);
  return training;
}

/**
 * A layer's options, checked before they are stored and read at forward time: its functional
 * form's keys without `training` (the module's mode decides), and a valid generator.
 */
export function checkLayerOptions(layer: string, options: DropLayerOptions, functionalKeys: readonly string[] = dropOptionKeys): void {
  checkOptions(
    layer,
    options,
    functionalKeys.filter((key) => key !== 'training'),
  );
  generatorOf(layer, options.generator);
}

/** A layer's options: its functional form's, without `training` (the module's mode decides). */
export type DropLayerOptions<Options extends DropOptions = DropOptions> = Omit<Options, 'training'>;

/** One training-mode application of a technique: its output and the mask it drew. */
export interface Noise {
  output: Tensor;
  mask: Tensor;
}

export abstract class NoiseLayer extends Module {
  /** The mask of the last training forward (scaling included, as the technique applies it); null before. */
  lastMask: Tensor | null = null;

  /** The technique in training mode: the function its functional form calls. */
  protected abstract applyNoise(x: Tensor): Noise;

  /** True when the layer would not change its input (e.g. p = 0). */
  protected abstract isIdentity(): boolean;

  /**
   * Refuses an input the technique cannot take, in eval too (as the functional form does with
   * training: false). Most techniques take any shape.
   */
  protected checkInput(_x: Tensor): void {}

  override forward(x: Tensor): Tensor {
    this.checkInput(x);
    if (!this.training || this.isIdentity()) return x;
    const { output, mask } = this.applyNoise(x);
    this.lastMask = mask;
    return output;
  }
}

/** A noise layer whose strength is one drop probability p (identity at p = 0). */
export abstract class RateNoiseLayer extends NoiseLayer {
  constructor(
    readonly p = 0.5,
    readonly options: DropLayerOptions = {},
  ) {
    super();
    checkProbability(new.target.name, 'p', p, { allowOne: new.target.allowsCertainDrop });
    checkLayerOptions(new.target.name, options, new.target.functionalOptionKeys);
  }

  /** Whether p = 1 is meaningful (it is for Bernoulli masks; not for Gaussian noise). */
  static allowsCertainDrop = true;

  /** The option keys of the layer's functional form (a technique with more options overrides this). */
  static functionalOptionKeys: readonly string[] = dropOptionKeys;

  protected isIdentity(): boolean {
    return this.p === 0;
  }

  protected override describe(): string {
    return `p=${this.p}`;
  }
}
