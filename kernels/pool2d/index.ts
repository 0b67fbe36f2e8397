/** The pool2d kernels of the selected backend (see lib/backend.ts). */
import { BackendName, getBackend } from '../../lib/backend';
import type { Pool2dKernels } from './kernels';
import { referencePool2d } from './reference';
import { jsPool2d } from './js';

// gpu.js maps to the js kernels until gpu.js implementations of Pool2dKernels exist.
const kernelsByBackend: Record<BackendName, Pool2dKernels> = {
  reference: referencePool2d,
  js: jsPool2d,
  'gpu.js': jsPool2d,
};

export function pool2dKernels(): Pool2dKernels {
  return kernelsByBackend[getBackend()];
}

export type { Pool2dKernels } from './kernels';
export * from './geometry';
