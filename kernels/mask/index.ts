/** The drop-mask kernels of the selected backend (see kernels/backend.ts); loops of one step each, so all but wasm run the js ones. */
import { kernelTable } from '../kernel-table';
import { jsMask } from './js';
import type { MaskKernels } from './kernels';
import { wasmMask } from './wasm';

export const maskKernels = kernelTable<MaskKernels>({ reference: jsMask, js: jsMask, wasm: wasmMask, 'gpu.js': jsMask });

export type { MaskKernels } from './kernels';
