/** Pooling layers: MaxPool2d, AvgPool2d, AdaptiveAvgPool2d (PyTorch's options; math in lib/ops/pool2d.ts). */
import type { Tensor } from '../lib/tensor';
import {
  type AvgPool2dOptions,
  type IntPair,
  type MaxPool2dOptions,
  adaptiveAvgPool2d,
  adaptiveOutputSize,
  avgPool2d,
  maxPool2d,
  avgPool2dOptionKeys,
  maxPool2dOptionKeys,
  poolWindow,
} from '../lib/ops/pool2d';
import { Module } from './module';

const describeOptions = (kernel: IntPair, options: object): string =>
  [`kernelSize=${JSON.stringify(kernel)}`, ...Object.entries(options).map(([k, v]) => `${k}=${JSON.stringify(v)}`)].join(', ');

export class MaxPool2d extends Module {
  constructor(
    readonly kernelSize: IntPair,
    readonly options: MaxPool2dOptions = {},
  ) {
    super();
    poolWindow('MaxPool2d', kernelSize, options, maxPool2dOptionKeys); // the op's checks, now rather than at the first forward
  }

  override forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, this.options);
  }

  protected override describe(): string {
    return describeOptions(this.kernelSize, this.options);
  }
}

export class AvgPool2d extends Module {
  constructor(
    readonly kernelSize: IntPair,
    readonly options: AvgPool2dOptions = {},
  ) {
    super();
    poolWindow('AvgPool2d', kernelSize, options, avgPool2dOptionKeys);
  }

  override forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, this.options);
  }

  protected override describe(): string {
    return describeOptions(this.kernelSize, this.options);
  }
}

/** Averages each map into outputSize bins; outputSize 1 is global average pooling. */
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: IntPair) {
    super();
    adaptiveOutputSize(outputSize, 'AdaptiveAvgPool2d');
  }

  override forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }

  protected override describe(): string {
    return `outputSize=${JSON.stringify(this.outputSize)}`;
  }
}
