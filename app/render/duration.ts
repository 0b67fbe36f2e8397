/**
 * A duration in seconds, written two ways for two kinds of place. Among the numbers of a progress
 * line, an epoch's result line and the first sentence of compare's Markdown report it reads as a
 * clock ("4:05", "1:02:03"); in a report page's provenance, the results index and a command's
 * closing line it is said in units ("12.3 s", "3 min 4 s"), tenths of a second for a short run.
 * docs/ quotes output in both forms (docs/cli.md's epochs, docs/results' wall times).
 */

/** "m:ss", or "h:mm:ss" from an hour on; "--:--" when unknown (an ETA before the first batch). */
export function formatDurationAsClock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  const [h, m, r] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const mm = String(m).padStart(h ? 2 : 1, '0');
  return `${h ? `${h}:` : ''}${mm}:${String(r).padStart(2, '0')}`;
}

/** "12.3 s" below a minute and a half, else "3 min 4 s". */
export function formatDurationInUnits(seconds: number): string {
  if (seconds < 90) return `${seconds.toFixed(1)} s`;
  // Rounded before it is split, so 1199.6 s reads "20 min 0 s", not "19 min 60 s".
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}
