/** What a shard printed without --json says under its runs: that they are a part of a study, and how to get the whole. */
import { type Shard, formatShard } from '../experiments/shard';

/**
 * @param total the study's runs with their unit, e.g. "6 runs" or "4 seeds"
 * @param missing what a part cannot give, e.g. "no means over seeds and no p-values"
 */
export const partialResultNote = (shard: Shard, runs: number, total: string, missing: string): string =>
  `Shard ${formatShard(shard)}: ${runs} of the study's ${total}, a partial result — ${missing}. ` +
  `Run every shard with --json and give the ${shard.count} reports to \`dropgrad merge\` for the table.`;
