/**
 * How one kernel call's items split into shares, which the threads claim one at a time
 * (kernels/wasm/thread-pool.ts): where share `share` of `shares` starts in `count` items handed out
 * in whole multiples of `unit` (it ends where share + 1 starts). Only which thread computes an item
 * depends on the split, never how the item is computed.
 */
export function shareStart(count: i32, unit: i32, share: i32, shares: i32): i32 {
  const units = (count + unit - 1) / unit;
  return min(count, ((units * share) / shares) * unit);
}
