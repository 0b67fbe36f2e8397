/**
 * How the threads of one kernel call split its items: where thread `thread` of `threads` starts
 * in `count` items handed out in whole multiples of `unit` (its share ends where thread + 1 starts). Only which thread computes an item depends on
 * the thread count, never how the item is computed.
 */
export function shareStart(count: i32, unit: i32, thread: i32, threads: i32): i32 {
  const units = (count + unit - 1) / unit;
  return min(count, ((units * thread) / threads) * unit);
}
