/** The relu kernels of the selected backend (see kernels/backend.ts); one loop each, so all but wasm run the js ones. */
import { kernelTable } from '../kernel-table';
import { jsRelu } from './js';
import type { ReluKernels } from './kernels';
import { wasmRelu } from './wasm';

export const reluKernels = kernelTable<ReluKernels>({ reference: jsRelu, js: jsRelu, wasm: wasmRelu, 'gpu.js': jsRelu });

export type { ReluKernels } from './kernels';
