/**
 * The suite's layer entries: every layer class in nn, in training mode, w.r.t. its input and every
 * parameter; every drop technique's layer, and the residual blocks with stochastic depth.
 */
import { Linear } from '../../nn/linear';
import { Conv2d } from '../../nn/conv2d';
import { ConvTranspose2d } from '../../nn/conv-transpose2d';
import { BatchNorm1d, BatchNorm2d, BatchNorm3d } from '../../nn/batchnorm';
import { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d } from '../../nn/pooling';
import { LeakyReLU, ReLU, Sigmoid, Tanh } from '../../nn/activations';
import { Flatten } from '../../nn/flatten';
import { Identity } from '../../nn/identity';
import { Sequential } from '../../nn/containers';
import { Dropout } from '../../nn/drop/dropout';
import { Dropout2d } from '../../nn/drop/dropout2d';
import { GaussianDropout } from '../../nn/drop/gaussian-dropout';
import { Uout } from '../../nn/drop/uout';
import { AlphaDropout } from '../../nn/drop/alpha-dropout';
import { DropConnectLinear } from '../../nn/drop/drop-connect';
import { DropBlock2d } from '../../nn/drop/dropblock';
import { DropPath } from '../../nn/drop/drop-path';
import { Cutout } from '../../nn/drop/cutout';
import { RandomErasing } from '../../nn/drop/random-erasing';
import { BasicBlock } from '../../nn/models/basic-block';
import { Bottleneck } from '../../nn/models/bottleneck';
import { type SuiteCheck, layer } from './check';

export const layerChecks: readonly SuiteCheck[] = [
  layer('Linear', () => new Linear(4, 3), [2, 4]),
  layer('Conv2d', () => new Conv2d(2, 3, 3, { padding: 1 }), [2, 2, 4, 4]),
  layer('ConvTranspose2d', () => new ConvTranspose2d(2, 3, 3, { stride: 2, padding: 1 }), [2, 2, 3, 3]),
  layer('BatchNorm1d (training)', () => new BatchNorm1d(3), [4, 3]),
  layer('BatchNorm2d (training)', () => new BatchNorm2d(2), [3, 2, 3, 3]),
  layer('BatchNorm3d (training)', () => new BatchNorm3d(2), [2, 2, 2, 3, 2]),
  layer('MaxPool2d (2)', () => new MaxPool2d(2), [1, 2, 4, 4]),
  layer('AvgPool2d (2, stride 1)', () => new AvgPool2d(2, { stride: 1 }), [1, 2, 3, 3]),
  layer('AdaptiveAvgPool2d (2)', () => new AdaptiveAvgPool2d(2), [1, 2, 5, 5]),
  layer('ReLU', () => new ReLU(), [3, 4]),
  layer('LeakyReLU (0.1)', () => new LeakyReLU(0.1), [3, 4]),
  layer('Sigmoid', () => new Sigmoid(), [3, 4]),
  layer('Tanh', () => new Tanh(), [3, 4]),
  layer('Flatten', () => new Flatten(), [2, 2, 3]),
  layer('Identity', () => new Identity(), [2, 3]),
  layer('Sequential (Linear, Tanh, Linear)', () => new Sequential(new Linear(3, 4), new Tanh(), new Linear(4, 2)), [2, 3]),
  layer('Dropout (p 0.5)', () => new Dropout(0.5), [4, 5]),
  layer('Dropout2d (p 0.5)', () => new Dropout2d(0.5), [2, 3, 3, 3]),
  layer('GaussianDropout (p 0.3)', () => new GaussianDropout(0.3), [3, 4]),
  layer('Uout (beta 0.5)', () => new Uout(0.5), [3, 4]),
  layer('AlphaDropout (p 0.2)', () => new AlphaDropout(0.2), [3, 4]),
  layer('DropConnectLinear (p 0.5)', () => new DropConnectLinear(4, 3, 0.5), [2, 4]),
  layer('DropBlock2d (p 0.3, block 3)', () => new DropBlock2d(0.3, { blockSize: 3 }), [2, 2, 6, 6]),
  layer(
    'DropBlock2d (p 0.3, block 2, shared mask)',
    () => new DropBlock2d(0.3, { blockSize: 2, sharedAcrossChannels: true }),
    [2, 2, 5, 5],
  ),
  layer('DropPath (row)', () => new DropPath(0.5), [4, 2, 2]),
  layer('DropPath (batch)', () => new DropPath(0.5, { mode: 'batch' }), [4, 2, 2]),
  layer('Cutout (length 3)', () => new Cutout(3), [2, 1, 5, 5]),
  layer('RandomErasing (p 1)', () => new RandomErasing(1), [1, 2, 6, 6]),
  // With these seeds the block's one survival draw comes out "survive" and "drop" respectively.
  layer(
    'BasicBlock + stochastic depth (survives)',
    () => new BasicBlock(2, 2, { stochasticDepth: { survivalProb: 0.5 } }),
    [2, 2, 3, 3],
    1234,
  ),
  layer('BasicBlock + stochastic depth (dropped)', () => new BasicBlock(2, 2, { stochasticDepth: { survivalProb: 0.5 } }), [2, 2, 3, 3], 1),
  layer(
    'Bottleneck + stochastic depth (row)',
    () => new Bottleneck(4, 1, { stochasticDepth: { survivalProb: 0.5, mode: 'row' } }),
    [3, 4, 3, 3],
  ),
];
