/**
 * ResNet BasicBlock (He et al. 2016): two 3×3 convs with BatchNorm, plus the identity (or a
 * projection when the shape changes), with optional stochastic depth on the branch:
 *   H = ReLU(b·f(x) + shortcut(x)),   f = BN ∘ conv3×3 ∘ ReLU ∘ BN ∘ conv3×3(stride)
 */
import type { Tensor } from '../../lib/tensor';
import { forwardChain } from '../containers';
import { Conv2d } from '../conv2d';
import { BatchNorm2d } from '../batchnorm';
import { type BlockOptions, ResidualBlock, branchRelu } from './residual-block';
import { type ProjectionShortcut, shortcutFor } from './shortcut';

export type { BlockOptions } from './residual-block';

export class BasicBlock extends ResidualBlock {
  static readonly expansion = 1;
  conv1: Conv2d;
  bn1: BatchNorm2d;
  conv2: Conv2d;
  bn2: BatchNorm2d;
  declare downsample: ProjectionShortcut | null;

  constructor(inChannels: number, planes: number, options: BlockOptions = {}) {
    super(inChannels, planes, options);
    const stride = options.stride ?? 1;
    const layer = { dtype: options.dtype, generator: options.generator };
    this.conv1 = new Conv2d(inChannels, planes, 3, { stride, padding: 1, bias: false, ...layer });
    this.bn1 = new BatchNorm2d(planes, { dtype: options.dtype });
    this.conv2 = new Conv2d(planes, planes, 3, { padding: 1, bias: false, ...layer });
    this.bn2 = new BatchNorm2d(planes, { dtype: options.dtype });
    this.downsample = shortcutFor(inChannels, planes, stride, layer);
  }

  branch(x: Tensor): Tensor {
    return forwardChain([this.conv1, this.bn1, branchRelu, this.conv2, this.bn2], x);
  }

  protected override describe(): string {
    return `${this.inChannels} → ${this.planes}${this.depth.describe()}`;
  }
}
