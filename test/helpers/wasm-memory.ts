/**
 * Fills the wasm kernels' call memory (from kernels/wasm/call-frame.ts' frameBase up) with NaN. Every
 * call lays its frame out from the same base, so an output entry that a wasm kernel forgot to write
 * would otherwise be copied out holding what the previous, similar call left there — often the right
 * value — and a spec's NaN-filled destination would not show it. Call it before each wasm call checked.
 */
import { frameBase } from '../../kernels/wasm/call-frame';
import { wasmInstance } from '../../kernels/wasm/instance';

export function poisonWasmMemory(): void {
  new Float32Array(wasmInstance().memory.buffer, frameBase).fill(Number.NaN);
}
