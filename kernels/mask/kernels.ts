/**
 * The drop-mask kernel interface: a mask's Bernoulli draws from a xoshiro128** stream, and the
 * product of a mask with the values it masks (nn/drop/mask-product.ts). Every backend gives the same
 * numbers bit for bit:
 *
 *   bernoulli: out[i] = uᵢ < p ? hit : miss  for i in [start, end), in that order, where uᵢ is the
 *              stream's next uniform in [0, 1), made of two words w₁ w₂ as Generator.random makes it:
 *              ((w₁ >>> 5)·2²⁶ + (w₂ >>> 6)) / 2⁵³; `state` holds the stream's four words and is
 *              left where the draws leave it. hit and miss are rounded to out's type.
 *   product:   out[i] = x[i] · mask[⌊i / run⌋]  in float64, rounded to out's dtype (for float32
 *              operands: the float32 product, which the float64 one of two float32 values rounds to).
 */
import type { TypedArray } from '../../base/dtype';

export interface MaskKernels {
  bernoulli(state: Int32Array, out: TypedArray | Uint8Array, p: number, hit: number, miss: number, start: number, end: number): void;
  product(x: TypedArray, mask: TypedArray, run: number, out: TypedArray): void;
}
