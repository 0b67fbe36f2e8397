/**
 * What BasicBlock and Bottleneck share: H = ReLU(b·f(x) + shortcut(x)), with the shortcut the
 * identity unless a projection is needed, and stochastic depth deciding about f (residual-drop.ts).
 * Subclasses define the branch f and create their layers, then the shortcut — in that order, so
 * the state-dict keys follow PyTorch's (conv1, bn1, …, downsample).
 */
import type { Tensor } from '../../lib/tensor';
import { Module } from '../module';
import type { LayerOptions } from '../layer-options';
import { checkOptions, optionKeys } from '../../lib/validate';
import { ResidualDrop, type StochasticDepthOptions, stochasticDepthOptionKeys } from './residual-drop';
import type { ProjectionShortcut } from './shortcut';
import { blockActivations } from '../../lib/chain-activations';
import { isForgetfulLayer } from '../forgetful-layers';
import { ReLU } from '../activations';

export interface BlockOptions extends LayerOptions {
  stride?: number;
  stochasticDepth?: StochasticDepthOptions;
}
const blockOptionKeys = optionKeys<BlockOptions>({ dtype: true, generator: true, stride: true, stochasticDepth: true });

export abstract class ResidualBlock extends Module {
  // Declared, not initialised here: the subclass assigns it after its convs (state-dict order).
  declare downsample: ProjectionShortcut | null;
  readonly depth: ResidualDrop;

  constructor(
    readonly inChannels: number,
    readonly planes: number,
    options: BlockOptions,
  ) {
    super();
    const block = new.target.name;
    checkOptions(block, options, blockOptionKeys);
    if (options.stochasticDepth !== undefined)
      checkOptions(`${block}: stochasticDepth`, options.stochasticDepth, stochasticDepthOptionKeys);
    this.depth = new ResidualDrop(options.stochasticDepth);
  }

  /** The residual branch f(x). */
  abstract branch(x: Tensor): Tensor;

  override forward(x: Tensor): Tensor {
    const identity = this.downsample ? this.downsample.forward(x) : x;
    const made = identity === x ? [] : [identity];
    const output = this.depth.combine(x, identity, (t) => this.branch(t), this.training, made);
    // A built-in block of built-in layers holds none of them: their memory goes back for reuse
    // once nothing can read them (lib/chain-activations.ts), as a Sequential's activations do.
    if (isForgetfulLayer(this)) blockActivations(x, output, made);
    return output;
  }
}

/** The branches' ReLU as a layer of their chains (forwardChain); it holds nothing, so the blocks share one. */
export const branchRelu = new ReLU();
