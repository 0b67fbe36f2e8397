/**
 * How `stochastic-depth` and `merge` give a whole stochastic-depth study's report: the table and
 * its summary (on stderr with `--json`, which puts the JSON alone on stdout), and with
 * `--out FILE.md` the page and its chart of the timings — the same output whether the seeds ran in
 * one process or were merged from shards.
 */
import { basename } from 'node:path';
import type { Flags } from '../flags/flag-spec';
import { parseOutputPath } from '../flags/flag-values';
import type { CliIO } from './io';
import { formatDurationInUnits } from '../render/duration';
import type { StochasticDepthReport } from '../experiments/stochastic-depth/report';
import { depthSeeds } from '../experiments/stochastic-depth/config';
import {
  stochasticDepthChartPath,
  stochasticDepthSummary,
  stochasticDepthTable,
  writeStochasticDepthPage,
} from '../results/stochastic-depth-page';

/** `--out`: the page and its chart side by side, each checked before any work. */
export function parseDepthOut(flags: Flags): string | undefined {
  if (flags.out === undefined) return undefined;
  const out = parseOutputPath('out', String(flags.out));
  parseOutputPath('out (its chart)', stochasticDepthChartPath(out));
  return out;
}

export interface DepthOutput {
  json: boolean;
  out: string | undefined;
  /** The command line that made the report, as the page states it. */
  command: string;
  /** The study's time, data loading included (a merge's: its shards' added). */
  seconds: number;
}

export function writeDepthOutput(report: StochasticDepthReport, output: DepthOutput, io: CliIO): void {
  const log = output.json ? io.err : io.out;
  log.write(`\n${stochasticDepthTable(report)}\n\n${stochasticDepthSummary(report)}\n`);
  if (output.json) io.out.write(`${JSON.stringify(report, null, 2)}\n`);
  if (output.out !== undefined) {
    const seeds = depthSeeds(report.config);
    const chart = writeStochasticDepthPage(output.out, report, { command: output.command, seeds, seconds: output.seconds });
    log.write(`wrote ${output.out} and ${basename(chart)} (${formatDurationInUnits(output.seconds)})\n`);
  }
}
