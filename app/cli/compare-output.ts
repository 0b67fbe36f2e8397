/**
 * How `compare` and `merge` give a whole study's report: the JSON (`--json`) or the table with its
 * caption on stdout, and with `--out FILE.md` the Markdown page and its SVG figures — the same
 * output whether the runs were made by one process or merged from shards.
 */
import type { FlagSpec, Flags } from '../flags/flag-spec';
import { parseOutputPath } from '../flags/flag-values';
import type { CliIO } from './io';
import type { CompareReport } from '../experiments/compare/report';
import { compareCaption, formatCompareTable } from '../results/compare-page';
import { figureKinds, figurePath, writeCompareMarkdown } from '../results/compare-markdown';

export const compareOutFlag: FlagSpec = {
  type: 'string',
  value: 'FILE.md',
  description: 'write the table and SVG figures (next to it) as a Markdown report',
};

/** `--out`: the page and its figures side by side, each checked before any work. */
export function parseCompareOut(flags: Flags): string | undefined {
  if (flags.out === undefined) return undefined;
  const out = parseOutputPath('out', String(flags.out));
  for (const kind of figureKinds) parseOutputPath('out (its figure)', figurePath(out, kind));
  return out;
}

export interface CompareOutput {
  json: boolean;
  out: string | undefined;
  /** The command line that made the report, as the page states it. */
  command: string;
}

/**
 * @param lossCurves per row, the training loss over each twentieth of training (mean over seeds)
 */
export function writeCompareOutput(report: CompareReport, lossCurves: readonly number[][], output: CompareOutput, io: CliIO): void {
  if (output.json) io.out.write(`${JSON.stringify(report, null, 2)}\n`);
  else io.out.write(`\n${formatCompareTable(report)}\n\n${compareCaption(report)}\n`);
  if (output.out !== undefined) {
    const written = writeCompareMarkdown(output.out, report, lossCurves, output.command);
    (output.json ? io.err : io.out).write(`wrote ${written.join(', ')}\n`);
  }
}
