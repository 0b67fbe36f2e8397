/**
 * medianMs without bench/harness.ts' Node-only parts (its machine() needs node:os), so a page can
 * time with it too: the median wall time of `fn` after warm-up calls, and the median itself for
 * benchmarks that collect their times round by round.
 */
export interface TimingOptions {
  /** Untimed calls first, so the JIT (or the shader compiler) is done (default 2). */
  warmup?: number;
  /** Timed calls; the median is reported (default 5). */
  runs?: number;
}

export function medianMs(fn: () => void, { warmup = 2, runs = 5 }: TimingOptions = {}): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The median wall time of each of `fns`, timed in rounds (one call of each per round, after
 * warm-up rounds), so that a change in the machine's load during the run hits every peer alike.
 */
export function interleavedMediansMs(fns: ReadonlyArray<() => void>, { warmup = 2, runs = 5 }: TimingOptions = {}): number[] {
  for (let i = 0; i < warmup; i++) for (const fn of fns) fn();
  const times = fns.map((): number[] => []);
  for (let i = 0; i < runs; i++) {
    fns.forEach((fn, f) => {
      const start = performance.now();
      fn();
      times[f].push(performance.now() - start);
    });
  }
  return times.map(median);
}
