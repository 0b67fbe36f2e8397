/**
 * The element types a safetensors file may hold, and how each is read. dropgrad tensors are
 * float64 or float32 and are written as F64 / F32. Files from elsewhere may hold other types: F16
 * is read as float32 (exactly); integer and BOOL tensors (e.g. PyTorch's int64
 * `num_batches_tracked`) as float64 — exact up to 2^53. We write num_batches_tracked as F64
 * because it *is* a float64 tensor here; PyTorch's load_state_dict copies it into its int64
 * buffer with a cast, so nothing is lost for counts below 2^53.
 */
import type { DType, TypedArray } from '../../../base/dtype';

export interface StoredType {
  bytes: number;
  /** The dropgrad dtype this stored type is read into. */
  dtype: DType;
  /** Reads `count` little-endian elements from `view`. */
  read(view: DataView, count: number, out: TypedArray): void;
}

function littleEndian(bytes: number, get: (view: DataView, offset: number) => number): StoredType['read'] {
  return (view, count, out) => {
    for (let i = 0; i < count; i++) out[i] = get(view, i * bytes);
  };
}

/** IEEE 754 half precision → number (every half is exactly representable in float32). */
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

export const storedTypes: Readonly<Record<string, StoredType>> = {
  F64: { bytes: 8, dtype: 'float64', read: littleEndian(8, (v, o) => v.getFloat64(o, true)) },
  F32: { bytes: 4, dtype: 'float32', read: littleEndian(4, (v, o) => v.getFloat32(o, true)) },
  F16: { bytes: 2, dtype: 'float32', read: littleEndian(2, (v, o) => halfToNumber(v.getUint16(o, true))) },
  I64: { bytes: 8, dtype: 'float64', read: littleEndian(8, (v, o) => Number(v.getBigInt64(o, true))) },
  I32: { bytes: 4, dtype: 'float64', read: littleEndian(4, (v, o) => v.getInt32(o, true)) },
  I16: { bytes: 2, dtype: 'float64', read: littleEndian(2, (v, o) => v.getInt16(o, true)) },
  I8: { bytes: 1, dtype: 'float64', read: littleEndian(1, (v, o) => v.getInt8(o)) },
  U8: { bytes: 1, dtype: 'float64', read: littleEndian(1, (v, o) => v.getUint8(o)) },
  BOOL: { bytes: 1, dtype: 'float64', read: littleEndian(1, (v, o) => (v.getUint8(o) ? 1 : 0)) },
};

/** The stored type each dropgrad dtype is written as. */
export const storedNameOf: Record<DType, string> = { float64: 'F64', float32: 'F32' };
