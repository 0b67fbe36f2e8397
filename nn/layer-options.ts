/** Options every parameterised layer takes. */
import { type DType, checkDType } from '../lib/dtype';
import { type Generator, generatorOf } from '../lib/random/generator';

export interface LayerOptions {
  /** Parameter dtype (default 'float64'; 'float32' for speed). */
  dtype?: DType;
  /** Generator for the initial weights (null or undefined: the global one, seeded by manualSeed). */
  generator?: Generator | null;
}

/** The options with their defaults, checked at construction so a bad one is named by the layer. */
export function layerOptions(where: string, options: LayerOptions): { dtype: DType; generator: Generator } {
  return { dtype: checkDType(options.dtype ?? 'float64', where), generator: generatorOf(where, options.generator) };
}
