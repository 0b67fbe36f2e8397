/** The gemm of the selected backend (kernels/backend.ts) for linear and matmul. */
import { kernelTable } from '../kernel-table';
import { jsGemm } from './js';
import type { GemmProblem } from './problem';
import { referenceGemm } from './reference';
import { wasmGemm } from './wasm';

const gemmKernel = kernelTable<(problem: GemmProblem) => void>({
  reference: referenceGemm,
  js: jsGemm,
  wasm: wasmGemm,
  // There is no gpu.js gemm: on that backend linear and matmul run the js one.
  'gpu.js': jsGemm,
});

export function gemm(problem: GemmProblem): void {
  gemmKernel()(problem);
}

export type { GemmProblem } from './problem';
