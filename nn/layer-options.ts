/** Options every parameterised layer takes. */
import { type DType, checkDType } from '../lib/dtype';
import type { Generator } from '../lib/random/generator';
import { generatorOf } from '../lib/creation';

export interface LayerOptions {
  /** Parameter dtype (default 'float64'; 'float32' for speed). */
  dtype?: DType;
  /** Generator for the initial weights (default: the global one, seeded by manualSeed). */
  generator?: Generator;
}

/** The options with their defaults, checked at construction so a bad one is named by the layer. */
export function layerOptions(where: string, options: LayerOptions): { dtype: DType; generator: Generator } {
  return { dtype: checkDType(options.dtype ?? 'float64', where), generator: generatorOf(options, where) };
}
