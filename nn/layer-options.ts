/** Options every parameterised layer takes. */
import type { DType } from '../lib/dtype';
import type { Generator } from '../lib/random/generator';

export interface LayerOptions {
  /** Parameter dtype (default 'float64'; 'float32' for speed). */
  dtype?: DType;
  /** Generator for the initial weights (default: the global one, seeded by manualSeed). */
  generator?: Generator;
}
