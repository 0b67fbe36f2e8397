/** The element types a Tensor can hold. float64 is the default: gradient checks need it. */
export type DType = 'float64' | 'float32';
export type TypedArray = Float64Array | Float32Array;

export function isDType(value: unknown): value is DType {
  return value === 'float64' || value === 'float32';
}

/** Refuses an unknown dtype (a layer checks at construction; `where` names the caller). */
export function checkDType(dtype: DType, where?: string): DType {
  if (isDType(dtype)) return dtype;
  throw new TypeError(`${where ? `${where}: ` : ''}dtype must be 'float64' or 'float32', got ${JSON.stringify(dtype) ?? String(dtype)}`);
}

/** A zero-filled array of `dtype`; an unknown dtype is refused here, where every layer and op allocates (not silently float32). */
export function allocate(dtype: DType, size: number): TypedArray {
  return checkDType(dtype) === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

export function dtypeOf(array: TypedArray): DType {
  return array instanceof Float64Array ? 'float64' : 'float32';
}

/** Mixed-precision arithmetic promotes to float64, as PyTorch does. */
export function promote(a: DType, b: DType): DType {
  return a === 'float64' || b === 'float64' ? 'float64' : 'float32';
}
