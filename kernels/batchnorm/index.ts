/** The batch-norm kernels of the selected backend (see lib/backend.ts). */
import { BackendName, getBackend } from '../../lib/backend';
import type { BatchNormKernels } from './kernels';
import { referenceBatchNorm } from './reference';
import { jsBatchNorm } from './js';

// gpu.js maps to the js kernels until gpu.js implementations of BatchNormKernels exist.
const kernelsByBackend: Record<BackendName, BatchNormKernels> = {
  reference: referenceBatchNorm,
  js: jsBatchNorm,
  'gpu.js': jsBatchNorm,
};

export function batchNormKernels(): BatchNormKernels {
  return kernelsByBackend[getBackend()];
}

export type { BatchNormKernels, InputGradientCoefficients } from './kernels';
export * from './geometry';
