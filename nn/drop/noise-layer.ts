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
import { checkProbability } from '../../lib/validate';
import { type Generator, generatorOf } from '../../lib/random/generator';

export interface DropOptions {
  /** Apply the technique (default true); false is the identity, as in evaluation. */
  training?: boolean;
  /** Where the mask's randomness comes from (null or undefined: the global generator, seeded by manualSeed). */
  generator?: Generator | null;
}

/**
 * Whether a functional form applies its technique: options.training, default true. Checks that
 * options is an object, so a caller of the old positional `dropout(x, p, false)` gets an error
 * rather than a silently applied mask.
 */
export function isTraining(technique: string, options: DropOptions): boolean {
  checkObject(technique, options, ' such as { training: false }');
  generatorOf(technique, options.generator);
  const training = options.training ?? true;
  if (typeof training !== 'boolean') throw new TypeError(`${technique}: options.training must be a boolean, got ${String(training)}`);
  return training;
}

/** A layer's options must be an object (checked before they are stored and read at forward time). */
export function checkLayerOptions(layer: string, options: DropLayerOptions): void {
  checkObject(layer, options, '');
  generatorOf(layer, options.generator);
}

function checkObject(where: string, options: object, example: string): void {
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`${where}: options must be an object${example}, got ${String(options)}`);
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
    checkLayerOptions(new.target.name, options);
  }

  /** Whether p = 1 is meaningful (it is for Bernoulli masks; not for Gaussian noise). */
  static allowsCertainDrop = true;

  protected isIdentity(): boolean {
    return this.p === 0;
  }

  protected override describe(): string {
    return `p=${this.p}`;
  }
}
