/**
 * Reading argument blocks and addressing arrays in wasm memory, shared by every kernel: an
 * argument block is an array of i32 slots (sizes, and addresses as unsigned 32-bit values).
 */

/** Slot `slot` of the argument block at `args`, as a size. */
@inline export function arg(args: usize, slot: i32): i32 {
  return load<i32>(args + ((<usize>slot) << 2));
}
/** Slot `slot` of the argument block at `args`, as an address. */
@inline export function ptr(args: usize, slot: i32): usize {
  return <usize>load<u32>(args + ((<usize>slot) << 2));
}
/** The address of element `index` of a 4-byte array (f32, i32) at `base`. */
@inline export function f32At(base: usize, index: i32): usize {
  return base + ((<usize>index) << 2);
}
/** The address of element `index` of an f64 array at `base`. */
@inline export function f64At(base: usize, index: i32): usize {
  return base + ((<usize>index) << 3);
}
