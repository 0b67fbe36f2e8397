/** Picks the conv2d kernels for the current backend (kernels/backend.ts). */
import { kernelTable } from '../kernel-table';
import type { Conv2dKernels } from './kernels';
import { referenceConv2d } from './reference';
import { jsConv2d } from './js';
import { gpujsConv2d } from './gpujs';
import { wasmConv2d } from './wasm';

export const conv2dKernels = kernelTable<Conv2dKernels>({
  reference: referenceConv2d,
  js: jsConv2d,
  wasm: wasmConv2d,
  'gpu.js': gpujsConv2d,
});

export { conv2dGeometry, conv2dWindow, outputShape, forwardFlops } from './geometry';
export type { Conv2dGeometry, Conv2dOptions, Conv2dWindow, Pair } from './geometry';
export type { Conv2dKernels } from './kernels';
export { type Conv2dEpilogue, epilogueOutputSize, noEpilogue } from './epilogue';
