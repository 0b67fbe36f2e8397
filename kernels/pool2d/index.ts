/** The pool2d kernels of the selected backend (see kernels/backend.ts). */
import { type BackendName, getBackend } from '../backend';
import type { Pool2dKernels } from './kernels';
import { referencePool2d } from './reference';
import { jsPool2d } from './js';
import { gpujsPool2d } from './gpujs';
import { wasmPool2d } from './wasm';

const kernelsByBackend: Record<BackendName, Pool2dKernels> = {
  reference: referencePool2d,
  js: jsPool2d,
  wasm: wasmPool2d,
  'gpu.js': gpujsPool2d,
};

export function pool2dKernels(): Pool2dKernels {
  return kernelsByBackend[getBackend()];
}

export type { Pool2dKernels } from './kernels';
export * from './geometry';
