/**
 * ResNet BasicBlock (He et al. 2016): two 3×3 convs with BatchNorm, plus the identity (or a
 * projection when the shape changes), with optional stochastic depth on the branch:
 *   H = ReLU(b·f(x) + shortcut(x)),   f = BN ∘ conv3×3 ∘ ReLU ∘ BN ∘ conv3×3(stride)
 */
import { Tensor } from '../../lib/tensor';
import { relu } from '../../lib/ops/activations';
import { Module } from '../module';
import { Conv2d } from '../conv2d';
import { BatchNorm2d } from '../batchnorm';
import { LayerOptions } from '../layer-options';
import { ResidualDrop, StochasticDepthOptions } from './residual-drop';
import { ProjectionShortcut, shortcutFor } from './shortcut';

export interface BlockOptions extends LayerOptions {
  stride?: number;
  stochasticDepth?: StochasticDepthOptions;
}

export class BasicBlock extends Module {
  static readonly expansion = 1;
  conv1: Conv2d;
  bn1: BatchNorm2d;
  conv2: Conv2d;
  bn2: BatchNorm2d;
  downsample: ProjectionShortcut | null;
  readonly depth: ResidualDrop;

  constructor(
    readonly inChannels: number,
    readonly planes: number,
    options: BlockOptions = {},
  ) {
    super();
    const stride = options.stride ?? 1;
    const layer = { dtype: options.dtype, generator: options.generator };
    this.conv1 = new Conv2d(inChannels, planes, 3, { stride, padding: 1, bias: false, ...layer });
    this.bn1 = new BatchNorm2d(planes, { dtype: options.dtype });
    this.conv2 = new Conv2d(planes, planes, 3, { padding: 1, bias: false, ...layer });
    this.bn2 = new BatchNorm2d(planes, { dtype: options.dtype });
    this.downsample = shortcutFor(inChannels, planes, stride, layer);
    this.depth = new ResidualDrop(options.stochasticDepth);
  }

  /** The residual branch f(x). */
  branch(x: Tensor): Tensor {
    return this.bn2.forward(this.conv2.forward(relu(this.bn1.forward(this.conv1.forward(x)))));
  }

  override forward(x: Tensor): Tensor {
    const identity = this.downsample ? this.downsample.forward(x) : x;
    return this.depth.combine(x, identity, (t) => this.branch(t), this.training);
  }

  protected override describe(): string {
    return `${this.inChannels} → ${this.planes}${this.depth.describe()}`;
  }
}
