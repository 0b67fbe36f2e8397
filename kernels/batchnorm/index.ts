/** The batch-norm kernels of the selected backend (see lib/backend.ts). */
import { BackendName, getBackend } from '../../lib/backend';
import type { BatchNormKernels } from './kernels';
import { referenceBatchNorm } from './reference';
import { jsBatchNorm } from './js';
import { gpujsBatchNorm } from './gpujs';

const kernelsByBackend: Record<BackendName, BatchNormKernels> = {
  reference: referenceBatchNorm,
  js: jsBatchNorm,
  'gpu.js': gpujsBatchNorm,
};

export function batchNormKernels(): BatchNormKernels {
  return kernelsByBackend[getBackend()];
}

export type { BatchNormKernels, InputGradientCoefficients } from './kernels';
export * from './geometry';
