/** The projection shortcut of a ResNet block: 1×1 conv (with the block's stride) + BatchNorm. */
import type { Tensor } from '../../lib/tensor';
import { Module } from '../module';
import { forwardChain } from '../containers';
import { Conv2d } from '../conv2d';
import { BatchNorm2d } from '../batchnorm';
import type { LayerOptions } from '../layer-options';

export class ProjectionShortcut extends Module {
  conv: Conv2d;
  bn: BatchNorm2d;

  constructor(inChannels: number, outChannels: number, stride: number, options: LayerOptions = {}) {
    super();
    this.conv = new Conv2d(inChannels, outChannels, 1, { stride, bias: false, ...options });
    this.bn = new BatchNorm2d(outChannels, { dtype: options.dtype });
  }

  override forward(x: Tensor): Tensor {
    return forwardChain([this.conv, this.bn], x);
  }
}

/** Projection only when the identity cannot be added as is (shape or stride change), as in ResNet. */
export function shortcutFor(inChannels: number, outChannels: number, stride: number, options: LayerOptions): ProjectionShortcut | null {
  return stride !== 1 || inChannels !== outChannels ? new ProjectionShortcut(inChannels, outChannels, stride, options) : null;
}
