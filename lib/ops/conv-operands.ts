/**
 * What conv2d and convTranspose2d share on their raw-array paths: operands read in the input's
 * dtype, and the bias gradient, a per-channel sum of the output gradient.
 */
import { type DType, type TypedArray, allocate, dtypeOf } from '../dtype';

/** `data` in `dtype`: the array itself when it already is, else a converted copy. */
export function inDType(data: TypedArray, dtype: DType): TypedArray {
  if (dtypeOf(data) === dtype) return data;
  const converted = allocate(dtype, data.length);
  converted.set(data);
  return converted;
}

/** db[c] = Σ_{n,i,j} dY[n,c,i,j] for dY of shape [n, channels, plane], summed in float64. */
export function channelSums(gradOutput: TypedArray, n: number, channels: number, plane: number): Float64Array {
  const db = new Float64Array(channels);
  let at = 0;
  for (let image = 0; image < n; image++) {
    for (let c = 0; c < channels; c++) {
      let sum = 0;
      for (let end = at + plane; at < end; at++) sum += gradOutput[at];
      db[c] += sum;
    }
  }
  return db;
}
