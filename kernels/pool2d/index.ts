/** The pool2d kernels of the selected backend (see kernels/backend.ts). */
import { kernelTable } from '../kernel-table';
import type { Pool2dKernels } from './kernels';
import { referencePool2d } from './reference';
import { jsPool2d } from './js';
import { gpujsPool2d } from './gpujs';
import { wasmPool2d } from './wasm';

export const pool2dKernels = kernelTable<Pool2dKernels>({
  reference: referencePool2d,
  js: jsPool2d,
  wasm: wasmPool2d,
  'gpu.js': gpujsPool2d,
});

export type { Pool2dKernels } from './kernels';
export * from './geometry';
