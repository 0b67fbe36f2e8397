/** The batch-norm kernels of the selected backend (see kernels/backend.ts). */
import { kernelTable } from '../kernel-table';
import type { BatchNormKernels } from './kernels';
import { referenceBatchNorm } from './reference';
import { jsBatchNorm } from './js';
import { gpujsBatchNorm } from './gpujs';
import { wasmBatchNorm } from './wasm';

export const batchNormKernels = kernelTable<BatchNormKernels>({
  reference: referenceBatchNorm,
  js: jsBatchNorm,
  wasm: wasmBatchNorm,
  'gpu.js': gpujsBatchNorm,
});

export type { BatchNormKernels, InputGradientCoefficients } from './kernels';
export * from './geometry';
