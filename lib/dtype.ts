/** The element types a Tensor can hold. float64 is the default: gradient checks need it. */
export type DType = 'float64' | 'float32';
export type TypedArray = Float64Array | Float32Array;

export function isDType(value: unknown): value is DType {
  return value === 'float64' || value === 'float32';
}

/** A zero-filled array of `dtype`; an unknown dtype is refused here, where every layer and op allocates (not silently float32). */
export function allocate(dtype: DType, size: number): TypedArray {
  if (dtype === 'float64') return new Float64Array(size);
  if (dtype === 'float32') return new Float32Array(size);
  throw new TypeError(`dtype must be 'float64' or 'float32', got ${JSON.stringify(dtype) ?? String(dtype)}`);
}

export function dtypeOf(array: TypedArray): DType {
  return array instanceof Float64Array ? 'float64' : 'float32';
}

/** Mixed-precision arithmetic promotes to float64, as PyTorch does. */
export function promote(a: DType, b: DType): DType {
  return a === 'float64' || b === 'float64' ? 'float64' : 'float32';
}
