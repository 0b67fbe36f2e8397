/** The element types a Tensor can hold. float64 is the default: gradient checks need it. */
export type DType = 'float64' | 'float32';
export type TypedArray = Float64Array | Float32Array;

export function isDType(value: unknown): value is DType {
  return value === 'float64' || value === 'float32';
}

export function allocate(dtype: DType, size: number): TypedArray {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

export function dtypeOf(array: TypedArray): DType {
  return array instanceof Float64Array ? 'float64' : 'float32';
}

/** Mixed-precision arithmetic promotes to float64, as PyTorch does. */
export function promote(a: DType, b: DType): DType {
  return a === 'float64' || b === 'float64' ? 'float64' : 'float32';
}
