/** The Adam kernel of the selected backend (see kernels/backend.ts); one formula, so all but wasm run the js loop. */
import { kernelTable } from '../kernel-table';
import { jsAdam } from './js';
import type { AdamKernels } from './kernels';
import { wasmAdam } from './wasm';

export const adamKernels = kernelTable<AdamKernels>({ reference: jsAdam, js: jsAdam, wasm: wasmAdam, 'gpu.js': jsAdam });

export type { AdamFactors, AdamKernels, AdamSettings, AdamSlot } from './kernels';
export { adamFactors } from './kernels';
