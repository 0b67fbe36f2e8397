/** Options every parameterised layer takes. */
import { type DType, checkDType } from '../base/dtype';
import { type Generator, generatorOf } from '../lib/random/generator';
import { checkOptions } from '../lib/validate';

export interface LayerOptions {
  /** Parameter dtype (default 'float64'; 'float32' for speed). */
  dtype?: DType;
  /** Generator for the initial weights (null or undefined: the global one, seeded by manualSeed). */
  generator?: Generator | null;
}

/**
 * The options with their defaults, checked at construction so a bad one is named by the layer;
 * `keys` are all the layer's option keys (these and its own).
 */
export function layerOptions(where: string, options: LayerOptions, keys: readonly string[]): { dtype: DType; generator: Generator } {
  checkOptions(where, options, keys);
  return { dtype: checkDType(options.dtype ?? 'float64', where), generator: generatorOf(where, options.generator) };
}
