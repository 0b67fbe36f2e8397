/**
 * Float32 data computed in float64x2 lanes (batch norm's passes, Adam's update): four float32
 * values split into two f64x2 halves and joined back, each lane rounded as a Float32Array store
 * rounds.
 */

/** Lanes 0, 1 and lanes 2, 3 of four float32 values, as float64x2. */
@inline export function low(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}
@inline export function high(v: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.shuffle(v, v, 2, 3, 0, 1));
}
/** Four float32 values from two float64x2 (each rounded to nearest, as a Float32Array store). */
@inline export function demote(lo: v128, hi: v128): v128 {
  return f32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}
