/**
 * A small ResNet for 28×28 or 32×32 images (the CIFAR-style layout of He et al.: a 3×3 stem,
 * stages of residual blocks that halve the resolution and double the width, global average
 * pooling, a linear classifier), with stochastic depth's linear decay over blocks,
 * p_l = 1 − (l/L)(1 − p_L), and optional DropBlock after chosen stages.
 */
import type { Tensor } from '../../lib/tensor';
import { Module } from '../module';
import { Conv2d } from '../conv2d';
import { BatchNorm2d } from '../batchnorm';
import { Linear } from '../linear';
import { Sequential, forwardChain } from '../containers';
import { Flatten } from '../flatten';
import { AdaptiveAvgPool2d } from '../pooling';
import type { LayerOptions } from '../layer-options';
import { DropBlock2d, dropBlock2dLayer } from '../drop/dropblock';
import { linearSurvival } from '../drop/drop-path';
import { checkOptions, checkPositiveInteger, optionKeys } from '../../lib/validate';
import { formatValue } from '../../base/shape';
import { BasicBlock } from './basic-block';
import { Bottleneck } from './bottleneck';
import { branchRelu } from './residual-block';
import type { StochasticDepthOptions } from './residual-drop';
import { type DropBlockSettings, dropBlockSettingKeys } from './dropblock-settings';

export interface ResNetOptions extends LayerOptions {
  block?: 'basic' | 'bottleneck';
  /** Blocks per stage (default [2, 2, 2]). */
  layers?: readonly number[];
  /** Planes per stage (default [16, 32, 64]). */
  widths?: readonly number[];
  inChannels?: number;
  numClasses?: number;
  /** Survival probability of the last block, p_L (the paper: 0.5); omitted = no stochastic depth. */
  stochasticDepth?: ResNetStochasticDepth;
  /** DropBlock after the listed stages (1-based), e.g. { stages: [2, 3], p: 0.1, blockSize: 3 } (p = 1 − keep_prob). */
  dropBlock?: DropBlockSettings & { stages: readonly number[] };
}
type ResNetStochasticDepth = Omit<StochasticDepthOptions, 'survivalProb'> & { pL: number };

/** The pooled features flattened to [N, C] for the classifier, as a layer of the forward's chain. */
const flattenFeatures = new Flatten(1);

const resnetOptionKeys = optionKeys<ResNetOptions>({
  dtype: true,
  generator: true,
  block: true,
  layers: true,
  widths: true,
  inChannels: true,
  numClasses: true,
  stochasticDepth: true,
  dropBlock: true,
});
const stochasticDepthKeys = optionKeys<ResNetStochasticDepth>({ pL: true, mode: true, convention: true, generator: true });
const dropBlockKeys = optionKeys<NonNullable<ResNetOptions['dropBlock']>>({ ...dropBlockSettingKeys, stages: true });

/** The options and their nested stochasticDepth and dropBlock each refuse a key they do not know. */
function checkResNetOptions(options: ResNetOptions): void {
  checkOptions('resnet', options, resnetOptionKeys);
  if (options.stochasticDepth !== undefined) checkOptions('resnet: stochasticDepth', options.stochasticDepth, stochasticDepthKeys);
  if (options.dropBlock !== undefined) checkOptions('resnet: dropBlock', options.dropBlock, dropBlockKeys);
}

export class ResNet extends Module {
  conv1: Conv2d;
  bn1: BatchNorm2d;
  stages: Sequential;
  pool = new AdaptiveAvgPool2d(1);
  fc: Linear;

  constructor(readonly options: ResNetOptions = {}) {
    super();
    checkResNetOptions(options);
    const layers = options.layers ?? [2, 2, 2];
    const widths = options.widths ?? [16, 32, 64];
    if (layers.length !== widths.length || layers.length === 0) {
      throw new RangeError(`resnet: layers [${layers}] and widths [${widths}] must be non-empty and of the same length`);
    }
    layers.forEach((n, i) => {
      checkPositiveInteger('resnet', `layers[${i}]`, n);
    });
    const block = options.block ?? 'basic';
    if (block !== 'basic' && block !== 'bottleneck') {
      throw new RangeError(`resnet: block must be 'basic' or 'bottleneck', got ${formatValue(block)}`);
    }
    // A stage number outside the network would silently add no DropBlock.
    options.dropBlock?.stages.forEach((stage, i) => {
      if (!Number.isInteger(stage) || stage < 1 || stage > layers.length) {
        throw new RangeError(`resnet: dropBlock.stages[${i}] must be a stage number 1..${layers.length}, got ${formatValue(stage)}`);
      }
    });
    const Block = block === 'bottleneck' ? Bottleneck : BasicBlock;
    const layer = { dtype: options.dtype, generator: options.generator };
    this.conv1 = new Conv2d(options.inChannels ?? 1, widths[0], 3, { padding: 1, bias: false, ...layer });
    this.bn1 = new BatchNorm2d(widths[0], { dtype: options.dtype });

    const totalBlocks = layers.reduce((a, b) => a + b, 0);
    let blockIndex = 0;
    let channels = widths[0];
    this.stages = new Sequential();
    layers.forEach((count, s) => {
      const stage = new Sequential();
      for (let i = 0; i < count; i++) {
        blockIndex++;
        let stochasticDepth: StochasticDepthOptions | undefined;
        if (options.stochasticDepth) {
          // The block takes its own survival probability, p_l, in place of the network's p_L.
          const { pL, ...depth } = options.stochasticDepth;
          stochasticDepth = { ...depth, survivalProb: linearSurvival(blockIndex, totalBlocks, pL) };
        }
        stage.append(new Block(channels, widths[s], { stride: i === 0 && s > 0 ? 2 : 1, stochasticDepth, ...layer }));
        channels = widths[s] * Block.expansion;
      }
      if (options.dropBlock?.stages.includes(s + 1)) stage.append(dropBlock2dLayer(options.dropBlock));
      this.stages.append(stage);
    });
    this.fc = new Linear(channels, options.numClasses ?? 10, layer);
  }

  override forward(x: Tensor): Tensor {
    return forwardChain([this.conv1, this.bn1, branchRelu, this.stages, this.pool, flattenFeatures, this.fc], x);
  }

  /** The DropBlock layers, for a DropBlockScheduler. */
  dropBlocks(): DropBlock2d[] {
    return this.modules().filter((m): m is DropBlock2d => m instanceof DropBlock2d);
  }
}

export function resnet(options: ResNetOptions = {}): ResNet {
  return new ResNet(options);
}
