/**
 * `dropgrad merge A.json B.json …`: reads the partial reports of `compare --shard I/N --json`
 * (each read whole, but never past a size limit), checks that they are every slice of one study and
 * prints the report of the whole study — the JSON, or the table — as `compare` would have printed it
 * had it made every run itself (app/experiments/compare/merge.ts).
 */
import type { CommandSpec } from '../args';
import type { Flags } from '../../flags/flag-spec';
import { UsageError } from '../../flags/usage-error';
import type { CliIO } from '../io';
import { commandLine } from '../../results/report-page';
import { compareOutFlag, parseCompareOut, writeCompareOutput } from '../compare-output';
import { readJsonFile } from '../../serialization/json-file';
import { checkCompareShardReport } from '../../experiments/compare/shard-report';
import { mergeCompareShards } from '../../experiments/compare/merge';

/**
 * The largest shard report read: a run takes about a kilobyte (more with many epochs), so this is
 * tens of thousands of runs, and a wrong file (a dataset, a checkpoint) is refused unread.
 */
export const maxShardReportBytes = 64 * 1024 * 1024;

export const mergeSpec: CommandSpec = {
  name: 'merge',
  summary: 'Put the partial reports of `compare --shard I/N --json` together into the report of the whole study.',
  operands: {
    value: 'SHARD.json…',
    description:
      'the --json output of every shard of one study (any order): same config, same N, each slice 1 … N once; ' +
      "the result is the report one `compare` run would have made (its wallSeconds: the shards' added)",
  },
  flags: {
    json: { type: 'boolean', description: 'print the merged report as JSON on stdout, as `compare --json` does' },
    out: compareOutFlag,
  },
};

export function runMerge(flags: Flags, io: CliIO, files: readonly string[]): number {
  if (files.length === 0) throw new UsageError('merge: expected the shard reports to merge (SHARD.json…), got none');
  const out = parseCompareOut(flags);
  const shards = files.map((file) => ({ file, report: checkCompareShardReport(file, readJsonFile(file, maxShardReportBytes)) }));
  const { report, lossCurves } = mergeCompareShards(shards);
  writeCompareOutput(report, lossCurves, { json: flags.json === true, out, command: commandLine('merge') }, io);
  return 0;
}
