/**
 * Weight initialisation as PyTorch does it, drawn from the seeded generator so a model is
 * reproducible from its seed. Linear and Conv2d use kaiming_uniform_(a = √5) for the weight, which
 * works out to U(−1/√fanIn, 1/√fanIn), and the same bound for the bias.
 */
import type { Tensor } from '../lib/tensor';
import { type Generator, generatorOf } from '../lib/random/generator';
import { formatShape } from '../base/shape';
import { checkOptions, optionKeys } from '../lib/validate';

/** Fan-in of a weight: in-features for [out, in], inC/groups·kH·kW for [out, in, kH, kW]. */
export function fanIn(weight: Tensor): number {
  if (weight.ndim < 2) throw new RangeError(`fanIn: needs a weight with at least 2 dims, got shape ${formatShape(weight.shape)}`);
  return weight.shape.slice(1).reduce((a, b) => a * b, 1);
}

/** Fills `t` in place with U(low, high) and returns it. */
export function uniform_(t: Tensor, low: number, high: number, generator: Generator | null = null): Tensor {
  const g = generatorOf('uniform_', generator);
  const data = t.writableStorage();
  for (let i = 0; i < data.length; i++) data[i] = g.uniform(low, high);
  return t;
}

/**
 * He initialisation, uniform: bound = gain·√(3 / fanIn) with gain = √(2 / (1 + a²)) for a
 * leaky-ReLU slope a (PyTorch's default for Linear/Conv2d is a = √5).
 */
export interface KaimingOptions {
  /** The negative slope of the leaky ReLU that follows (default 0: ReLU). */
  a?: number;
  generator?: Generator | null;
}
const kaimingOptionKeys = optionKeys<KaimingOptions>({ a: true, generator: true });

export function kaimingUniform_(t: Tensor, options: KaimingOptions = {}): Tensor {
  checkOptions('kaimingUniform_', options, kaimingOptionKeys);
  const generator = generatorOf('kaimingUniform_', options.generator);
  const a = options.a ?? 0;
  const bound = Math.sqrt(2 / (1 + a * a)) * Math.sqrt(3 / fanIn(t));
  return uniform_(t, -bound, bound, generator);
}
