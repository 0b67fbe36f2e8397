/**
 * What `compare --shard I/N` prints without --json: its runs one per line, and that this is a part
 * of a study — no mean over seeds and no p-value, which need every run (`dropgrad merge`).
 */
import { mean } from '../statistics/welch';
import { percent as pct } from './report-page';
import type { CompareShardReport } from '../experiments/compare/shard-report';
import { scoredSplit } from './compare-page';
import { partialResultNote } from './shard-note';

export function formatShardRuns(report: CompareShardReport): string {
  const { shard, config, runs } = report;
  const total = config.techniques.length * config.seeds;
  const lines = runs.map(
    ({ technique, seed, result }) =>
      `| ${technique} | ${seed} | ${pct(result.testAccuracy)} | ${pct(result.trainAccuracy)} | ${mean(result.secondsPerEpoch).toFixed(2)} |`,
  );
  return [
    `| technique | seed | ${scoredSplit(config)} acc. % | train acc. % | s / epoch |`,
    '|---|---|---|---|---|',
    ...lines,
    '',
    partialResultNote(shard, runs.length, `${total} runs`, 'no means over seeds and no p-values'),
  ].join('\n');
}
