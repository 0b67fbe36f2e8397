/** The gemm of the selected backend (kernels/backend.ts) for linear and matmul: wasm's, else js'. */
import { getBackend } from '../backend';
import { jsGemm } from './js';
import type { GemmProblem } from './problem';
import { wasmGemm } from './wasm';

export function gemm(problem: GemmProblem): void {
  (getBackend() === 'wasm' ? wasmGemm : jsGemm)(problem);
}

export type { GemmProblem } from './problem';
