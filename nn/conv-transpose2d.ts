/**
 * nn.ConvTranspose2d: PyTorch's constructor options; weight [in, out/groups, kH, kW]. Init as
 * PyTorch's: kaiming_uniform_(a = √5) and a bias U(±1/√fanIn), where the fan-in is computed from
 * the weight's dims 1.. as for every conv — for this layout that is out/groups·kH·kW.
 */
import type { Tensor } from '../lib/tensor';
import { type ConvTranspose2dOptions, convTranspose2d, convTranspose2dWindow } from '../lib/ops/conv-transpose2d';
import { Module } from './module';
import type { Parameter } from './parameter';
import { convParameters, describeConv } from './conv-parameters';
import { checkBoolean, checkPositiveInteger, optionKeys } from '../lib/validate';
import { type LayerOptions, layerOptions } from './layer-options';

export interface ConvTranspose2dLayerOptions extends ConvTranspose2dOptions, LayerOptions {
  /** Learn an additive bias per output channel (default true). */
  bias?: boolean;
}
const convTranspose2dLayerOptionKeys = optionKeys<ConvTranspose2dLayerOptions>({
  stride: true,
  padding: true,
  outputPadding: true,
  groups: true,
  dilation: true,
  dtype: true,
  generator: true,
  bias: true,
});

export class ConvTranspose2d extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly kernelSize: readonly [number, number];
  readonly conv: ConvTranspose2dOptions;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: number | readonly [number, number],
    options: ConvTranspose2dLayerOptions = {},
  ) {
    super();
    const { dtype, generator } = layerOptions('ConvTranspose2d', options, convTranspose2dLayerOptionKeys);
    const { stride, padding, outputPadding, groups = 1, dilation } = options;
    checkPositiveInteger('ConvTranspose2d', 'inChannels', inChannels);
    checkPositiveInteger('ConvTranspose2d', 'outChannels', outChannels);
    // convTranspose2d's own option checks, run now rather than at the first forward.
    this.kernelSize = convTranspose2dWindow(kernelSize, options, 'ConvTranspose2d').kernel;
    if (inChannels % groups !== 0 || outChannels % groups !== 0) {
      throw new RangeError(
        `ConvTranspose2d: inChannels ${inChannels} and outChannels ${outChannels} must both be divisible by groups ${groups}`,
      );
    }
    const bias = checkBoolean('ConvTranspose2d', 'bias', options.bias ?? true);
    this.conv = { stride, padding, outputPadding, groups, dilation };
    ({ weight: this.weight, bias: this.bias } = convParameters(
      [inChannels, outChannels / groups, ...this.kernelSize],
      outChannels,
      bias,
      dtype,
      generator,
    ));
  }

  override forward(x: Tensor): Tensor {
    return convTranspose2d(x, this.weight, this.bias, this.conv);
  }

  protected override describe(): string {
    return describeConv(this.inChannels, this.outChannels, this.kernelSize, this.conv);
  }
}
