/**
 * The guard in front of every wasm kernel call, written once: the wasm kernels are float32 only, so
 * the family's js kernel runs when an operand holding values is not a Float32Array (null stands
 * for an absent one, such as no bias), and when the module cannot run here (withWasm). The call's
 * wasm memory is given back when it ends.
 */
import type { TypedArray } from '../../base/dtype';
import { endCall } from './call-frame';
import { type WasmInstance, withWasm } from './instance';

export function wasmOrJs(float32Operands: readonly (TypedArray | null)[], wasmPath: (wasm: WasmInstance) => void, js: () => void): void {
  if (!float32Operands.every((operand) => operand === null || operand instanceof Float32Array)) {
    js();
    return;
  }
  try {
    withWasm(wasmPath, js);
  } finally {
    endCall();
  }
}
