/** The batch-norm kernels of the selected backend (see kernels/backend.ts). */
import { type BackendName, getBackend } from '../backend';
import type { BatchNormKernels } from './kernels';
import { referenceBatchNorm } from './reference';
import { jsBatchNorm } from './js';
import { gpujsBatchNorm } from './gpujs';
import { wasmBatchNorm } from './wasm';

const kernelsByBackend: Record<BackendName, BatchNormKernels> = {
  reference: referenceBatchNorm,
  js: jsBatchNorm,
  wasm: wasmBatchNorm,
  'gpu.js': gpujsBatchNorm,
};

export function batchNormKernels(): BatchNormKernels {
  return kernelsByBackend[getBackend()];
}

export type { BatchNormKernels, InputGradientCoefficients } from './kernels';
export * from './geometry';
