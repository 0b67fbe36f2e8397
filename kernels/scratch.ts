/**
 * Scratch: a reusable work buffer for kernels, so hot paths never allocate per call.
 *
 * Each kernel that needs temporary storage owns its own Scratch (sharing one between kernels
 * would let a nested call overwrite a buffer that is still in use). The buffer only grows, so
 * after the first call of a given size no allocation happens at all.
 */
import type { TypedArray } from '../base/dtype';

export class Scratch {
  private f32 = new Float32Array(0);
  private f64 = new Float64Array(0);

  /** A buffer of `like`'s element type holding at least `size` values (contents are stale). */
  of(like: TypedArray, size: number): TypedArray {
    return like instanceof Float64Array ? this.float64(size) : this.float32(size);
  }

  float64(size: number): Float64Array {
    if (this.f64.length < size) this.f64 = new Float64Array(grow(this.f64.length, size));
    return this.f64;
  }

  float32(size: number): Float32Array {
    if (this.f32.length < size) this.f32 = new Float32Array(grow(this.f32.length, size));
    return this.f32;
  }
}

/** Grow geometrically so a slowly increasing size does not reallocate on every call. */
function grow(current: number, needed: number): number {
  return Math.max(needed, Math.ceil(current * 1.5));
}
