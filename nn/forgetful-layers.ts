/**
 * The built-in layers that keep no reference to the tensor they read or return, so that an
 * nn.Sequential made of them may give its activations back early (nn/containers.ts,
 * lib/chain-activations.ts). A user's layer might keep its input, so a Sequential holding one
 * leaves its memory to the garbage collector; exact classes, not subclasses, for the same reason.
 * A layer added to nn/ belongs here once its forward keeps nothing of its input or output (a drop
 * layer's `lastMask` is a tensor of its own).
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

/** Made on first use: this file and nn/containers.ts import each other. */
let layers: ReadonlySet<unknown> | undefined;

/** Whether `module` is one of the built-in layers above (its exact class). */
export function isForgetfulLayer(module: Module): boolean {
  layers ??= new Set<unknown>([
    ...[Sequential, Linear, Conv2d, ConvTranspose2d, BatchNorm1d, BatchNorm2d, BatchNorm3d, ReLU, LeakyReLU, Sigmoid, Tanh],
    ...[MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, Flatten, Identity],
    ...[Dropout, Dropout2d, GaussianDropout, Uout, AlphaDropout, DropConnectLinear, DropBlock2d, DropPath, Cutout, RandomErasing],
  ]);
  return layers.has(module.constructor);
}
