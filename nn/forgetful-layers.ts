/**
 * The built-in layers that keep no reference to the tensor they read or return, so that an
 * nn.Sequential made of them may give its activations back early (nn/containers.ts,
 * lib/chain-activations.ts). A user's layer might keep its input, so a Sequential holding one
 * leaves its memory to the garbage collector; exact classes, not subclasses, for the same reason.
 * A layer added to nn/ belongs here once its forward keeps nothing of its input or output (a drop
 * layer's `lastMask` is a tensor of its own). The built-in composites (Sequential, the ResNet blocks,
 * their projection shortcut, ResNet) count as such a layer when all they hold do.
 */
import { ReLU, LeakyReLU, Sigmoid, Tanh } from './activations';
import { BatchNorm1d, BatchNorm2d, BatchNorm3d } from './batchnorm';
import { Sequential } from './containers';
import { ConvTranspose2d } from './conv-transpose2d';
import { Conv2d } from './conv2d';
import { AlphaDropout } from './drop/alpha-dropout';
import { Cutout } from './drop/cutout';
import { DropConnectLinear } from './drop/drop-connect';
import { DropPath } from './drop/drop-path';
import { DropBlock2d } from './drop/dropblock';
import { Dropout } from './drop/dropout';
import { Dropout2d } from './drop/dropout2d';
import { GaussianDropout } from './drop/gaussian-dropout';
import { RandomErasing } from './drop/random-erasing';
import { Uout } from './drop/uout';
import { Flatten } from './flatten';
import { Identity } from './identity';
import { Linear } from './linear';
import type { Module } from './module';
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from './pooling';
import { BasicBlock } from './models/basic-block';
import { Bottleneck } from './models/bottleneck';
import { ProjectionShortcut } from './models/shortcut';
import { ResNet } from './models/resnet';

/** Made on first use: this file, nn/containers.ts and the models import each other. */
let layers: ReadonlySet<unknown> | undefined;
/**
 * The built-in modules made of other modules: they keep nothing of what they read or return, but
 * what they hold might (a user's layer put in a Sequential, or in place of a block's conv), so
 * they are forgetful only when every module they hold is.
 */
let composites: ReadonlySet<unknown> | undefined;

/** Whether `module` is one of the built-in layers above (its exact class), or a built-in composite of such layers. */
export function isForgetfulLayer(module: Module): boolean {
  layers ??= new Set<unknown>([
    ...[Linear, Conv2d, ConvTranspose2d, BatchNorm1d, BatchNorm2d, BatchNorm3d, ReLU, LeakyReLU, Sigmoid, Tanh],
    ...[MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, Flatten, Identity],
    ...[Dropout, Dropout2d, GaussianDropout, Uout, AlphaDropout, DropConnectLinear, DropBlock2d, DropPath, Cutout, RandomErasing],
  ]);
  composites ??= new Set<unknown>([Sequential, BasicBlock, Bottleneck, ProjectionShortcut, ResNet]);
  if (composites.has(module.constructor)) return module.children().every(isForgetfulLayer);
  return layers.has(module.constructor);
}
