/**
 * Shared benchmark plumbing: time a function (median of several runs after warm-up, with
 * performance.now()), and print one table per case with each implementation's time, throughput
 * and speed ratio against every peer measured in the same process.
 *
 * Ratios read "how many times faster than the peer" (peer ms / this ms): above 1 is faster.
 */
import os from 'node:os';

export { interleavedMediansMs, median, medianMs } from './median';
export type { TimingOptions } from './median';

export interface Result {
  /** The implementation, e.g. "dropgrad js" or "tfjs cpu". */
  name: string;
  ms: number;
  /** Floating-point operations one call performs (for GFLOP/s). */
  flops: number;
}

const pad = (text: string, width: number): string => (text.length >= width ? text : ' '.repeat(width - text.length) + text);

/** "1 thread", "2 threads": the rows' names say how many threads each ran on. */
export const threadsName = (threads: number): string => `${threads} thread${threads === 1 ? '' : 's'}`;

/** A one-line description of the machine, to print above the tables. */
export function machine(): string {
  const cpus = os.cpus();
  return `node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, load average ${os.loadavg()[0].toFixed(2)}`;
}

/**
 * Prints `results` as a table with a "× vs <peer>" column for every name in `peers` present in
 * results; times with `msDigits` decimals (sub-millisecond kernels want 2).
 */
export function printTable(title: string, results: readonly Result[], peers: readonly string[], msDigits = 1): void {
  const present = peers.filter((p) => results.some((r) => r.name === p));
  const header = ['implementation', 'ms', 'GFLOP/s', ...present.map((p) => `× vs ${p}`)];
  const rows = results.map((r) => [
    r.name,
    r.ms.toFixed(msDigits),
    (r.flops / r.ms / 1e6).toFixed(2),
    ...present.map((p) => {
      const peer = results.find((q) => q.name === p);
      return peer && peer !== r ? `${(peer.ms / r.ms).toFixed(2)}×` : '—';
    }),
  ]);
  console.log(`\n${title}`);
  printColumns(header, rows);
}

/**
 * Prints a header and rows as aligned columns: the first `textColumns` left-aligned (names), the
 * rest right-aligned (numbers).
 */
export function printColumns(header: readonly string[], rows: readonly (readonly string[])[], textColumns = 1): void {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, c) => (c < textColumns ? cell.padEnd(widths[c]) : pad(cell, widths[c]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}
