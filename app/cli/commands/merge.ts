/**
 * `dropgrad merge A.json B.json …`: reads the partial reports of `compare --shard I/N --json` or
 * `stochastic-depth --shard I/N --json` (each read whole, but never past a size limit), checks that
 * they are every slice of one study and prints the report of the whole study — the JSON, or the
 * table — as the command would have printed it had it made every run itself
 * (app/experiments/shard-merge.ts). The first file's `kind` says which command's study it is; a
 * file of another kind among them is refused by name.
 */
import type { CommandSpec } from '../args';
import type { Flags } from '../../flags/flag-spec';
import { UsageError } from '../../flags/usage-error';
import type { CliIO } from '../io';
import { commandLine } from '../../results/report-page';
import { compareOutFlag, parseCompareOut, writeCompareOutput } from '../compare-output';
import { parseDepthOut, writeDepthOutput } from '../depth-output';
import { readJsonFile } from '../../serialization/json-file';
import { checkCompareShardReport } from '../../experiments/compare/shard-report';
import { mergeCompareShards } from '../../experiments/compare/merge';
import { checkDepthShardReport, depthShard, depthShardKind } from '../../experiments/stochastic-depth/shard-report';
import { mergeDepthShards } from '../../experiments/stochastic-depth/merge';
import { isObject, maxShardReportBytes } from '../../experiments/shard-report-check';

export const mergeSpec: CommandSpec = {
  name: 'merge',
  summary:
    'Put the partial reports of `compare --shard I/N --json` (or `stochastic-depth --shard I/N --json`) together into the report of the whole study.',
  operands: {
    value: 'SHARD.json…',
    description:
      'the --json output of every shard of one study (any order): same command, same config, same N, each slice 1 … N once; ' +
      "the result is the report one run of the command would have made (its wall time: the shards' added)",
  },
  flags: {
    json: { type: 'boolean', description: 'print the merged report as JSON on stdout, as the command with --json does' },
    out: {
      ...compareOutFlag,
      description: 'write the table and SVG figures (next to it) as a Markdown report, as the command with --out does',
    },
  },
};

export function runMerge(flags: Flags, io: CliIO, files: readonly string[]): number {
  if (files.length === 0) throw new UsageError('merge: expected the shard reports to merge (SHARD.json…), got none');
  // Both kinds' --out paths are checked before any shard is read (the page and its figures share one directory).
  parseDepthOut(flags);
  const out = parseCompareOut(flags);
  const [first, ...rest] = files.map((file) => ({ file, value: readJsonFile(file, maxShardReportBytes) }));
  const json = flags.json === true;
  const command = commandLine('merge');
  // A whole stochastic-depth report given by mistake is refused as such, not as a file of no kind.
  if (isObject(first.value) && (first.value.kind === depthShardKind || depthShard.isWhole(first.value))) {
    const shards = [first, ...rest].map(({ file, value }) => ({ file, report: checkDepthShardReport(file, value) }));
    const { report, wallSeconds } = mergeDepthShards(shards);
    writeDepthOutput(report, { json, out, command, seconds: wallSeconds }, io);
    return 0;
  }
  const shards = [first, ...rest].map(({ file, value }) => ({ file, report: checkCompareShardReport(file, value) }));
  const { report, lossCurves } = mergeCompareShards(shards);
  writeCompareOutput(report, lossCurves, { json, out, command }, io);
  return 0;
}
