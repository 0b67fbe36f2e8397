/** nn.Linear: y = x·Wᵀ + b with weight [out, in], initialised as PyTorch does (U(±1/√in)). */
import type { Tensor } from '../lib/tensor';
import { empty } from './empty';
import { linear } from '../lib/ops/linear';
import { Module } from './module';
import { Parameter } from './parameter';
import { kaimingUniform_, uniform_ } from './init';
import { checkBoolean, checkPositiveInteger, optionKeys } from '../lib/validate';
import { type LayerOptions, layerOptions } from './layer-options';

export interface LinearOptions extends LayerOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
}
const linearOptionKeys = optionKeys<LinearOptions>({ dtype: true, generator: true, bias: true });

export class Linear extends Module {
  weight: Parameter;
  bias: Parameter | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: LinearOptions = {},
  ) {
    super();
    checkPositiveInteger('Linear', 'inFeatures', inFeatures);
    checkPositiveInteger('Linear', 'outFeatures', outFeatures);
    const { dtype, generator } = layerOptions('Linear', options, linearOptionKeys);
    const bias = checkBoolean('Linear', 'bias', options.bias ?? true);
    this.weight = new Parameter(kaimingUniform_(empty([outFeatures, inFeatures], dtype), { a: Math.sqrt(5), generator }));
    const bound = 1 / Math.sqrt(inFeatures);
    this.bias = bias ? new Parameter(uniform_(empty([outFeatures], dtype), -bound, bound, generator)) : null;
  }

  override forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias ?? undefined);
  }

  protected override describe(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
