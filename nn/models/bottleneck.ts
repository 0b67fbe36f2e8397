/**
 * ResNet Bottleneck (He et al. 2016): 1×1 reduce, 3×3 (carrying the stride), 1×1 expand ×4, each
 * with BatchNorm; projection shortcut only when the shape or stride changes; optional stochastic
 * depth on the branch:
 *   H = ReLU(b·f(x) + shortcut(x)),   f = BN ∘ conv1×1 ∘ ReLU ∘ BN ∘ conv3×3(stride) ∘ ReLU ∘ BN ∘ conv1×1
 */
import type { Tensor } from '../../lib/tensor';
import { forwardChain } from '../containers';
import { Conv2d } from '../conv2d';
import { BatchNorm2d } from '../batchnorm';
import { type BlockOptions, ResidualBlock, branchRelu } from './residual-block';
import { type ProjectionShortcut, shortcutFor } from './shortcut';

export class Bottleneck extends ResidualBlock {
  static readonly expansion = 4;
  conv1: Conv2d;
  bn1: BatchNorm2d;
  conv2: Conv2d;
  bn2: BatchNorm2d;
  conv3: Conv2d;
  bn3: BatchNorm2d;
  declare downsample: ProjectionShortcut | null;

  constructor(inChannels: number, planes: number, options: BlockOptions = {}) {
    super(inChannels, planes, options);
    const stride = options.stride ?? 1;
    const layer = { dtype: options.dtype, generator: options.generator };
    const out = planes * Bottleneck.expansion;
    this.conv1 = new Conv2d(inChannels, planes, 1, { bias: false, ...layer });
    this.bn1 = new BatchNorm2d(planes, { dtype: options.dtype });
    this.conv2 = new Conv2d(planes, planes, 3, { stride, padding: 1, bias: false, ...layer });
    this.bn2 = new BatchNorm2d(planes, { dtype: options.dtype });
    this.conv3 = new Conv2d(planes, out, 1, { bias: false, ...layer });
    this.bn3 = new BatchNorm2d(out, { dtype: options.dtype });
    this.downsample = shortcutFor(inChannels, out, stride, layer);
  }

  branch(x: Tensor): Tensor {
    const layers = [this.conv1, this.bn1, branchRelu, this.conv2, this.bn2, branchRelu, this.conv3, this.bn3];
    return forwardChain(layers, x);
  }

  protected override describe(): string {
    return `${this.inChannels} → ${this.planes}×${Bottleneck.expansion}${this.depth.describe()}`;
  }
}
