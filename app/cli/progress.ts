/**
 * Training progress: a live bar redrawn in place on a terminal, and plain lines at every 10% of
 * the epoch otherwise (logs and CI stay readable, without thousands of carriage returns).
 */
import type { TrainProgress } from '../training/train-epoch';

export interface ProgressWriter {
  write(text: string): void;
  isTTY?: boolean;
  columns?: number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  const [h, m, r] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const mm = String(m).padStart(h ? 2 : 1, '0');
  return `${h ? `${h}:` : ''}${mm}:${String(r).padStart(2, '0')}`;
}

export function describeProgress(p: TrainProgress): string {
  const rate = p.seconds > 0 ? p.examples / p.seconds : 0;
  const eta = p.batch > 0 ? ((p.batches - p.batch) * p.seconds) / p.batch : NaN;
  return `loss ${p.loss.toFixed(4)}  acc ${(100 * p.accuracy).toFixed(2)}%  ${Math.round(rate)} ex/s  ETA ${formatDuration(eta)}`;
}

export class ProgressBar {
  private lastDecile = -1;

  constructor(
    private readonly out: ProgressWriter,
    private readonly label: string,
  ) {}

  update(p: TrainProgress): void {
    const fraction = p.batches ? p.batch / p.batches : 1;
    if (this.out.isTTY) {
      const width = 24;
      const filled = Math.round(fraction * width);
      const bar = `${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? (filled === width ? '=' : '>') : ''}${' '.repeat(width - filled)}`;
      const line = `${this.label} [${bar}] ${String(Math.floor(100 * fraction)).padStart(3)}%  ${describeProgress(p)}`;
      this.out.write(`\r${line.slice(0, (this.out.columns ?? 120) - 1)}\x1b[K`);
      return;
    }
    const decile = Math.floor(fraction * 10);
    if (decile > this.lastDecile) {
      this.lastDecile = decile;
      this.out.write(`${this.label} ${String(Math.floor(100 * fraction)).padStart(3)}% (${p.batch}/${p.batches})  ${describeProgress(p)}\n`);
    }
  }

  /** Ends the bar's line on a terminal. */
  finish(): void {
    if (this.out.isTTY) this.out.write('\n');
  }
}
