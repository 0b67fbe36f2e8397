/**
 * The tables bench/train-step.ts and bench/infer.ts print: one line per system (median ms/step and
 * examples/s over the interleaved rounds), then the summary: each workload's dropgrad row next to
 * the peer it is measured against, and the ratio of their examples/s (above 1: dropgrad is faster).
 */
import { printColumns } from './harness';
import { type Measured, type SystemOrUnavailable, measureInterleaved, measured } from './interleave';

/** Two rows to put side by side under a workload's name: a dropgrad row (`ours`) and its peer. */
export interface Comparison {
  readonly workload: string;
  readonly ours: SystemOrUnavailable;
  readonly peer: SystemOrUnavailable;
}

/** A comparison's outcome; NaN where either row has no time. */
export interface Compared {
  readonly workload: string;
  readonly ours: string;
  readonly oursExamplesPerSecond: number;
  readonly peer: string;
  readonly peerExamplesPerSecond: number;
  /** ours' examples/s over the peer's. */
  readonly ratio: number;
}

export function compare(results: ReadonlyMap<SystemOrUnavailable, Measured>, comparisons: readonly Comparison[]): Compared[] {
  const outcome = (system: SystemOrUnavailable): Measured => {
    const result = results.get(system);
    if (!result) throw new Error(`compare: ${system.name} was not measured`);
    return result;
  };
  return comparisons.map(({ workload, ours, peer }) => {
    const [a, b] = [outcome(ours), outcome(peer)];
    return {
      workload,
      ours: a.name,
      oursExamplesPerSecond: a.examplesPerSecond,
      peer: b.name,
      peerExamplesPerSecond: b.examplesPerSecond,
      ratio: a.examplesPerSecond / b.examplesPerSecond,
    };
  });
}

/** Three significant digits: a ratio of 0.00344× must not print as 0.00×. */
export const times = (value: number): string => (Number.isNaN(value) ? '—' : `${Number(value.toPrecision(3))}×`);

const perSecond = (value: number): string => (Number.isNaN(value) ? '—' : value < 10 ? value.toPrecision(2) : value.toFixed(0));

/** Sub-millisecond steps (inference of one image) need more decimals than 40 ms ones. */
const milliseconds = (ms: number): string => ms.toFixed(ms < 1 ? 3 : ms < 10 ? 2 : 1);

/** One line per system; `valueHeader` names what Timing.value holds (the last loss, an output sum). */
export function printMeasured(results: readonly Measured[], valueHeader: string): void {
  printColumns(
    ['system', 'batch', 'ms/step', 'examples/s', 'rounds × steps', valueHeader],
    results.map((r) =>
      r.error !== undefined
        ? [r.name, String(r.batch), '—', '—', '—', r.error]
        : [
            r.name,
            String(r.batch),
            milliseconds(r.msPerStep),
            perSecond(r.examplesPerSecond),
            `${r.rounds} × ${r.stepsPerRound}`,
            r.value.toFixed(3),
          ],
    ),
  );
}

/** The summary's headers for the two sides of a comparison: their rows, then their examples/s. */
export type ComparedColumns = readonly [string, string, string, string];

const dropgradAgainstPeer: ComparedColumns = ['dropgrad wasm', 'peer', 'dropgrad examples/s', 'peer examples/s'];

export function printCompared(compared: readonly Compared[], columns = dropgradAgainstPeer): void {
  printColumns(
    ['workload', ...columns, 'ratio'],
    compared.map((c) => [
      c.workload,
      c.ours,
      c.peer,
      perSecond(c.oursExamplesPerSecond),
      perSecond(c.peerExamplesPerSecond),
      times(c.ratio),
    ]),
    3,
  );
}

export interface Benchmark {
  /** Printed first (with machine() in it), and the JSON's title. */
  readonly title: string;
  readonly systems: readonly SystemOrUnavailable[];
  readonly comparisons: readonly Comparison[];
  readonly rounds: number;
  /** What each system's Timing.value is, as a column header ("last loss", "output sum"). */
  readonly valueHeader: string;
  /** Lines printed under the title (and the JSON's notes): what was checked before timing. */
  readonly notes?: readonly string[];
  /** Print JSON ({ title, notes, date, rounds, systems, comparisons }) instead of the tables. */
  readonly json: boolean;
  /** The summary's column names when its rows are not all dropgrad against a peer. */
  readonly columns?: ComparedColumns;
}

/** Measures the systems interleaved, then prints the per-system table and the comparisons. */
export async function runBenchmark({
  title,
  notes = [],
  systems,
  comparisons,
  rounds,
  valueHeader,
  json,
  columns,
}: Benchmark): Promise<void> {
  if (!json) console.log([title, ...notes, ''].join('\n'));
  const rows = await measureInterleaved(systems, rounds);
  const results = new Map(rows.map((row) => [row.system, measured(row)]));
  const compared = compare(results, comparisons);
  if (json) {
    console.log(
      JSON.stringify(
        { title, notes, date: new Date().toISOString(), rounds, systems: [...results.values()], comparisons: compared },
        null,
        2,
      ),
    );
    return;
  }
  printMeasured([...results.values()], valueHeader);
  console.log('');
  printCompared(compared, columns);
}
