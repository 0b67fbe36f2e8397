/**
 * `compare --out report.md`: the table and its caption as a Markdown page, with two SVG figures
 * beside it — test (or validation) accuracy mean ± std per technique against the baseline's mean, and the
 * training-loss curves. Every file is written atomically.
 */
import { basename, dirname, join } from 'node:path';
import { errorBarChart, lineChart } from '../render/svg-chart';
import { writeFileAtomic } from '../serialization/atomic-write';
import { formatDurationAsClock } from '../render/duration';
import type { CompareReport } from '../experiments/compare/report';
import { compareCaption, formatCompareTable, scoredSplit } from './compare-page';

export const figureKinds = ['accuracy', 'loss'] as const;

/** report.md's figure of one kind: report-accuracy.svg, report-loss.svg, in its directory. */
export function figurePath(out: string, kind: (typeof figureKinds)[number]): string {
  return join(dirname(out), `${basename(out, '.md')}-${kind}.svg`);
}

/** The accuracy figure: each technique's test (or validation) accuracy, mean ± std, against the (first) baseline's mean. */
export function accuracyChart({ rows, config }: CompareReport): string {
  const baseline = rows.find((r) => r.baseline === null);
  const split = scoredSplit(config);
  return errorBarChart(
    `${split === 'test' ? 'Test' : 'Validation'} accuracy, mean ± std over ${config.seeds} seeds`,
    `${split} accuracy %`,
    rows.map((r) => ({ label: r.technique, mean: 100 * r.testAcc.mean, error: 100 * r.testAcc.std })),
    baseline !== undefined ? { label: baseline.technique, value: 100 * baseline.testAcc.mean } : undefined,
  );
}

/**
 * @param lossCurves per row, the training loss over each twentieth of training (mean over seeds)
 * @param command the command line that made the report, as the page states it
 */
export function writeCompareMarkdown(out: string, report: CompareReport, lossCurves: readonly number[][], command: string): string[] {
  const { rows, config } = report;
  const [accuracy, loss] = figureKinds.map((kind) => figurePath(out, kind));
  writeFileAtomic(accuracy, accuracyChart(report));
  writeFileAtomic(
    loss,
    lineChart(
      'Training loss (mean over seeds)',
      'training progress (20ths)',
      'cross-entropy',
      rows.map((r, i) => ({ label: r.technique, values: lossCurves[i] })),
    ),
  );
  const { limit, testLimit, epochs, batchSize, lr, schedule, seeds, jobs, seedOffset = 0 } = config;
  const split = scoredSplit(config);
  const scored = split === 'test' ? `${testLimit} test images` : `${config.validationSize} validation images, no test image`;
  writeFileAtomic(
    out,
    `# Drop techniques compared\n\nProduced by \`${command}\` on ${config.dataset} in ${formatDurationAsClock(config.wallSeconds)} ` +
      `(${limit} training / ${scored}, ${epochs} epochs, batch ${batchSize}, Adam lr ${lr} with a ${schedule} schedule, ` +
      `seeds ${seedOffset}-${seedOffset + seeds - 1}, ${jobs} job${jobs === 1 ? '' : 's'}).\n\n${formatCompareTable(report)}\n\n${compareCaption(report)}\n\n` +
      `![${split} accuracy per technique](${basename(accuracy)})\n\n![training loss](${basename(loss)})\n`,
  );
  return [out, accuracy, loss];
}
