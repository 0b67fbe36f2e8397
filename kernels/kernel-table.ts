/**
 * A kernel family's implementations, one per backend, declared once: the family's interface (its
 * named, typed arguments; its outputs are the arrays it writes) is the type K, and the table is
 * total, so a backend without a kernel of its own names the one it borrows (gpu.js' gemm is js').
 */
import { type BackendName, getBackend } from './backend';

/** The getter of the selected backend's (kernels/backend.ts) implementation of one family. */
export function kernelTable<K>(implementations: Readonly<Record<BackendName, K>>): () => K {
  return () => implementations[getBackend()];
}
