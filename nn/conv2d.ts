/** nn.Conv2d: PyTorch's constructor options; weight [out, in/groups, kH, kW], init U(±1/√fanIn). */
import type { Tensor } from '../lib/tensor';
import { conv2d } from '../lib/ops/conv2d';
import { type Conv2dOptions, conv2dWindow } from '../kernels/conv2d/geometry';
import { Module } from './module';
import type { Parameter } from './parameter';
import { convParameters, describeConv } from './conv-parameters';
import { checkBoolean, checkPositiveInteger, optionKeys } from '../lib/validate';
import { type LayerOptions, layerOptions } from './layer-options';

export interface Conv2dLayerOptions extends Conv2dOptions, LayerOptions {
  /** Learn an additive bias per output channel (default true). */
  bias?: boolean;
}
const conv2dLayerOptionKeys = optionKeys<Conv2dLayerOptions>({
  stride: true,
  padding: true,
  dilation: true,
  groups: true,
  dtype: true,
  generator: true,
  bias: true,
});

export class Conv2d extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly kernelSize: readonly [number, number];
  readonly conv: Conv2dOptions;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: number | readonly [number, number],
    options: Conv2dLayerOptions = {},
  ) {
    super();
    const { dtype, generator } = layerOptions('Conv2d', options, conv2dLayerOptionKeys);
    const { stride, padding, dilation, groups = 1 } = options;
    checkPositiveInteger('Conv2d', 'inChannels', inChannels);
    checkPositiveInteger('Conv2d', 'outChannels', outChannels);
    // conv2d's own option checks, run now rather than at the first forward.
    this.kernelSize = conv2dWindow(kernelSize, options, 'Conv2d').kernel;
    if (inChannels % groups !== 0 || outChannels % groups !== 0) {
      throw new RangeError(`Conv2d: inChannels ${inChannels} and outChannels ${outChannels} must both be divisible by groups ${groups}`);
    }
    const bias = checkBoolean('Conv2d', 'bias', options.bias ?? true);
    this.conv = { stride, padding, dilation, groups };
    ({ weight: this.weight, bias: this.bias } = convParameters(
      [outChannels, inChannels / groups, ...this.kernelSize],
      outChannels,
      bias,
      dtype,
      generator,
    ));
  }

  override forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, this.conv);
  }

  protected override describe(): string {
    return describeConv(this.inChannels, this.outChannels, this.kernelSize, this.conv);
  }
}
