/**
 * The Markdown reports the experiments write (`--out`, `npm run results`): a generated part — the
 * numbers, the command, the seeds, the machine, the wall time — between two markers, and prose
 * written by people after it. Regenerating a page replaces the generated part only, so the
 * explanation of a result survives every new run; a page without the markers (or no page yet) gets
 * the command's default prose.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus, release, type } from 'node:os';
import { writeFileAtomic } from '../serialization/atomic-write';
import { formatDurationInUnits } from '../render/duration';

export const GENERATED_BEGIN = '<!-- generated: the part up to the end marker is rewritten by each run; edit the prose below it -->';
export const GENERATED_END = '<!-- end of the generated part -->';

/** The machine a run happened on, as a reader needs it to compare timings. */
export function machineDescription(): string {
  const cores = cpus();
  const model = cores[0]?.model.trim() || 'unknown CPU';
  return `${model}, ${cores.length} cores, Node ${process.version}, ${type()} ${release()}`;
}

export interface RunRecord {
  /** The command line that reproduces the page. */
  command: string;
  seeds: readonly number[];
  /** Wall time of the whole run, in seconds. */
  seconds: number;
  /** Defaults to this machine. */
  machine?: string;
}

/** The provenance lines every page carries: how to rerun it, with which seeds, where, how long it took. */
export function provenance(run: RunRecord): string {
  return [
    `- command: \`${run.command}\``,
    `- seeds: ${run.seeds.join(', ')}`,
    `- machine: ${run.machine ?? machineDescription()}`,
    `- wall time: ${formatDurationInUnits(run.seconds)}`,
  ].join('\n');
}

/** "seeds 200 … 204 (--seed-offset 200)": which seeds a run used, its first named as the command line gives it. */
export const seedsText = (seeds: readonly number[]): string =>
  `${seeds.length === 1 ? `seed ${seeds[0]}` : `seeds ${seeds[0]} … ${seeds.at(-1)}`} (--seed-offset ${seeds[0]})`;

/** A fraction as percent: 0.8512 → "85.12". */
export const percent = (fraction: number, digits = 2): string => (100 * fraction).toFixed(digits);

/** A p-value as the tables show it: "—" when there is none (one seed, or the baseline itself). */
export const formatP = (p: number | null): string => (p === null ? '—' : p < 0.001 ? p.toExponential(1) : p.toFixed(3));

/** The page's text: `generated` between the markers, then the prose already there (or `defaultProse`). */
export function composePage(generated: string, existing: string | undefined, defaultProse: string): string {
  const end = existing?.indexOf(GENERATED_END) ?? -1;
  const kept = existing?.startsWith(GENERATED_BEGIN) && end >= 0 ? existing.slice(end + GENERATED_END.length) : undefined;
  const prose = kept ?? (defaultProse.trim() === '' ? '\n' : `\n\n${defaultProse.trim()}\n`);
  return `${GENERATED_BEGIN}\n${generated.trim()}\n${GENERATED_END}${prose}`;
}

/** Writes (atomically) a report page, keeping the prose of the page already at `path`. */
export function writeReportPage(path: string, generated: string, defaultProse = ''): void {
  const existing = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  writeFileAtomic(path, composePage(generated, existing, defaultProse));
}

/** How a command names itself on its page: `dropgrad <name> <the flags it was given>`. */
export function commandLine(name: string, args: readonly string[] = process.argv.slice(3)): string {
  return `dropgrad ${name} ${args.join(' ')}`.trim();
}
