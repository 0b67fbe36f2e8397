/** Picks the conv2d kernels for the current backend (kernels/backend.ts). */
import { type BackendName, getBackend } from '../backend';
import type { Conv2dKernels } from './kernels';
import { referenceConv2d } from './reference';
import { jsConv2d } from './js';
import { gpujsConv2d } from './gpujs';
import { wasmConv2d } from './wasm';

const kernelsByBackend: Record<BackendName, Conv2dKernels> = {
  reference: referenceConv2d,
  js: jsConv2d,
  wasm: wasmConv2d,
  'gpu.js': gpujsConv2d,
};

export function conv2dKernels(): Conv2dKernels {
  return kernelsByBackend[getBackend()];
}

export { conv2dGeometry, conv2dWindow, outputShape, forwardFlops } from './geometry';
export type { Conv2dGeometry, Conv2dOptions, Conv2dWindow, Pair } from './geometry';
export type { Conv2dKernels } from './kernels';
