/**
 * Training progress: a live bar redrawn in place on a terminal, and plain lines at every 10% of
 * the epoch otherwise (logs and CI stay readable, without thousands of carriage returns).
 */
import type { TrainProgress } from '../training/train-epoch';
import { formatDurationAsClock } from '../render/duration';

export interface ProgressWriter {
  write(text: string): void;
  isTTY?: boolean;
  columns?: number;
}

export function describeProgress(p: TrainProgress, separator = '  '): string {
  const rate = p.seconds > 0 ? p.examples / p.seconds : 0;
  const eta = p.batch > 0 ? ((p.batches - p.batch) * p.seconds) / p.batch : NaN;
  return [
    `loss ${p.loss.toFixed(4)}`,
    `acc ${(100 * p.accuracy).toFixed(2)}%`,
    `${Math.round(rate)} ex/s`,
    `ETA ${formatDurationAsClock(eta)}`,
  ].join(separator);
}

/** The widest bar drawn, and the narrowest worth drawing (narrower, it is dropped). */
const barWidth = { max: 24, min: 5 };

/**
 * The live line, fitted to `columns`: the numbers are what matters, so the bar shrinks and then
 * goes first, then the spacing tightens, then the label goes; only then is the end cut.
 */
export function progressLine(label: string, p: TrainProgress, columns: number): string {
  const fraction = p.batches ? p.batch / p.batches : 1;
  const percent = `${String(Math.floor(100 * fraction)).padStart(3)}%`;
  const numbers = describeProgress(p);
  const width = Math.min(barWidth.max, columns - `${label} [] ${percent}  ${numbers}`.length);
  if (width >= barWidth.min) {
    const filled = Math.round(fraction * width);
    const bar = `${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? (filled === width ? '=' : '>') : ''}${' '.repeat(width - filled)}`;
    return `${label} [${bar}] ${percent}  ${numbers}`;
  }
  const candidates = [
    `${label} ${percent}  ${numbers}`,
    `${label} ${percent} ${describeProgress(p, ' ')}`,
    `${percent} ${describeProgress(p, ' ')}`,
  ];
  return candidates.find((line) => line.length <= columns) ?? candidates[candidates.length - 1].slice(0, columns);
}

export class ProgressBar {
  private lastDecile = -1;
  /** What the terminal's current line shows. */
  private shown: 'nothing' | 'bar' | 'evaluating' = 'nothing';

  constructor(
    private readonly out: ProgressWriter,
    private readonly label: string,
  ) {}

  update(p: TrainProgress): void {
    const fraction = p.batches ? p.batch / p.batches : 1;
    if (this.out.isTTY) {
      // One column short of the width: writing the last column makes some terminals wrap.
      this.out.write(`\r${progressLine(this.label, p, (this.out.columns || 80) - 1)}\x1b[K`);
      this.shown = 'bar';
      return;
    }
    const decile = Math.floor(fraction * 10);
    if (decile > this.lastDecile) {
      this.lastDecile = decile;
      this.out.write(
        `${this.label} ${String(Math.floor(100 * fraction)).padStart(3)}% (${p.batch}/${p.batches})  ${describeProgress(p)}\n`,
      );
    }
  }

  /** Says that the test set is being evaluated (seconds of silence otherwise): in place of the bar on a terminal, one line in a log. */
  evaluating(): void {
    const text = `${this.label} evaluating…`;
    if (this.out.isTTY) {
      this.out.write(`\r${text}\x1b[K`);
      this.shown = 'evaluating';
    } else {
      this.out.write(`${text}\n`);
    }
  }

  /** Ends the live line on a terminal: the bar stays, "evaluating…" is erased for the result line. */
  finish(): void {
    if (this.shown === 'bar') this.out.write('\n');
    if (this.shown === 'evaluating') this.out.write('\r\x1b[K');
    this.shown = 'nothing';
  }
}
