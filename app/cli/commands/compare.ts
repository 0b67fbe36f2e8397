/**
 * `dropgrad compare`: the question users have — which drop technique helps on *my* data? Trains
 * the same model once per technique and seed on a (small, configurable) training subset and
 * reports test accuracy mean ± std and time per epoch; `--out` adds SVG learning curves.
 */
import { basename, dirname, join } from 'node:path';
import { type CommandSpec, type Flags, UsageError, parseNumber, parseOutputPath } from '../args';
import { dataFlags, dataNotes, loadData, parseDataFlags } from '../data-flags';
import { buildExperiment, planExperiment } from '../experiment';
import type { CliIO } from '../io';
import { DataLoader } from '../../data/data-loader';
import { Generator, manualSeed } from '../../../lib/random/generator';
import { trainEpoch } from '../../training/train-epoch';
import { evaluate } from '../../training/evaluate';
import { Adam } from '../../../nn/optim/adam';
import { DropBlockScheduler } from '../../../nn/drop/dropblock-scheduler';
import { lineChart } from '../../render/svg-chart';
import { writeFileAtomic } from '../../serialization/atomic-write';

/** Each technique as the `train` flags that switch it on, at settings suited to 28×28 digits. */
export const techniques: Readonly<Record<string, Flags>> = {
  none: {},
  dropout: { dropout: '0.5' },
  dropout2d: { dropout2d: '0.1' },
  gaussian: { gaussian: '0.5' },
  uout: { uout: '0.2' },
  dropconnect: { dropconnect: '0.5' },
  dropblock: { dropblock: '0.9:3' },
  cutout: { cutout: '1:8' },
  'random-erasing': { 'random-erasing': '0.5' },
  // Stochastic depth needs residual blocks: it is compared against the same small ResNet without it.
  'resnet (none)': { model: 'resnet-small' },
  'stochastic-depth': { model: 'resnet-small', 'stochastic-depth': '0.5' },
};

export const compareSpec: CommandSpec = {
  name: 'compare',
  summary: 'Train the same model with each drop technique over several seeds and compare test accuracy and time.',
  flags: {
    techniques: {
      type: 'string',
      value: 'LIST',
      description: `comma-separated subset of: ${Object.keys(techniques).join(', ')}`,
      default: 'all',
    },
    seeds: { type: 'string', value: 'N', description: 'seeds per technique', default: '3' },
    epochs: { type: 'string', value: 'N', description: 'epochs per run', default: '2' },
    'batch-size': { type: 'string', value: 'N', description: 'examples per step', default: '64' },
    lr: { type: 'string', value: 'RATE', description: 'Adam learning rate', default: '0.002' },
    out: { type: 'string', value: 'FILE.md', description: 'write the table and SVG learning curves (next to it) as a Markdown report' },
    ...dataFlags,
    limit: { type: 'string', value: 'N', description: 'training examples used', default: '2000' },
    'test-limit': { type: 'string', value: 'N', description: 'test examples used', default: '2000' },
  },
  notes: dataNotes,
};

export interface TechniqueResult {
  technique: string;
  settings: string;
  accuracies: number[];
  secondsPerEpoch: number[];
  /** Mean over seeds of the training loss, averaged over each tenth of training. */
  lossCurve: number[];
}

const meanOf = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
const stdOf = (v: readonly number[]): number =>
  v.length < 2 ? 0 : Math.sqrt(v.reduce((a, x) => a + (x - meanOf(v)) ** 2, 0) / (v.length - 1));

export function formatCompareTable(results: readonly TechniqueResult[], seeds: number): string {
  const rows = results.map((r) => {
    const acc = `${(100 * meanOf(r.accuracies)).toFixed(2)} ± ${(100 * stdOf(r.accuracies)).toFixed(2)}`;
    return `| ${r.technique} | ${r.settings} | ${acc} | ${meanOf(r.secondsPerEpoch).toFixed(1)} |`;
  });
  return [`| technique | settings | test accuracy % (mean ± std, ${seeds} seeds) | s / epoch |`, '|---|---|---|---|', ...rows].join('\n');
}

/** Averages `values` into `buckets` equal parts (the last may be shorter). */
function bucketMeans(values: readonly number[], buckets: number): number[] {
  const size = Math.max(1, Math.ceil(values.length / buckets));
  const out: number[] = [];
  for (let i = 0; i < values.length; i += size) out.push(meanOf(values.slice(i, i + size)));
  return out;
}

export async function runCompare(flags: Flags, io: CliIO): Promise<number> {
  const seeds = parseNumber('seeds', String(flags.seeds), { integer: true, min: 1 });
  const epochs = parseNumber('epochs', String(flags.epochs), { integer: true, min: 1 });
  const batchSize = parseNumber('batch-size', String(flags['batch-size']), { integer: true, min: 1 });
  const lr = parseNumber('lr', String(flags.lr), { min: 0 });
  const names =
    flags.techniques === 'all'
      ? Object.keys(techniques)
      : String(flags.techniques)
          .split(',')
          .map((s) => s.trim());
  for (const [i, name] of names.entries()) {
    // Own names only: `in` also finds toString and __proto__ on the object's prototype.
    if (!Object.hasOwn(techniques, name)) {
      throw new UsageError(
        `--techniques: unknown technique ${JSON.stringify(name)}; expected some of ${Object.keys(techniques).join(', ')}`,
      );
    }
    if (names.indexOf(name) !== i) throw new UsageError(`--techniques: ${JSON.stringify(name)} is listed twice`);
  }
  const plans = new Map(names.map((name) => [name, planExperiment({ model: 'small-cnn', ...techniques[name] })]));
  const dataRequest = parseDataFlags(flags);
  // The report and its chart go side by side; both are checked before hours of training.
  const out = flags.out !== undefined ? parseOutputPath('out', String(flags.out)) : undefined;
  const chartName = out !== undefined ? `${basename(out, '.md')}-loss.svg` : '';
  if (out !== undefined) parseOutputPath('out (its chart)', join(dirname(out), chartName));
  const data = loadData(dataRequest);
  io.out.write(
    `comparing ${names.length} techniques × ${seeds} seeds on ${data.name} (${data.trainLimit ?? data.train.labels.length} training / ${data.testLimit ?? data.test.labels.length} test examples, ${epochs} epochs)\n`,
  );

  const results: TechniqueResult[] = [];
  for (const technique of names) {
    const settings =
      Object.entries(techniques[technique])
        .map(([k, v]) => `--${k} ${v}`)
        .join(' ') || '—';
    const result: TechniqueResult = { technique, settings, accuracies: [], secondsPerEpoch: [], lossCurve: [] };
    const curves: number[][] = [];
    for (let seed = 0; seed < seeds; seed++) {
      manualSeed(seed);
      const experiment = buildExperiment(plans.get(technique)!, data.train.shape, data.train.classes);
      const loader = new DataLoader(data.train, {
        batchSize,
        shuffle: true,
        generator: new Generator(seed + 1),
        transforms: experiment.transforms,
        limit: data.trainLimit,
      });
      const optimizer = new Adam(experiment.model.parameters(), { lr });
      const schedule =
        experiment.dropBlockTarget !== null
          ? new DropBlockScheduler(experiment.dropBlocks, { targetKeepProb: experiment.dropBlockTarget, steps: epochs * loader.length })
          : null;
      const losses: number[] = [];
      for (let epoch = 0; epoch < epochs; epoch++) {
        let [lossSum, examples] = [0, 0];
        const epochResult = await trainEpoch(experiment.model, loader, optimizer, {
          onStep: (p) => {
            schedule?.step();
            // p.loss is the epoch's running mean; this step's loss is the change in the running sum.
            losses.push((p.loss * p.examples - lossSum) / (p.examples - examples));
            [lossSum, examples] = [p.loss * p.examples, p.examples];
          },
        });
        result.secondsPerEpoch.push(epochResult.seconds);
      }
      const test = evaluate(experiment.model, new DataLoader(data.test, { batchSize: 500, limit: data.testLimit }), data.test.classes);
      result.accuracies.push(test.accuracy);
      curves.push(bucketMeans(losses, 20));
      io.out.write(`  ${technique.padEnd(18)} seed ${seed}: test accuracy ${(100 * test.accuracy).toFixed(2)}%\n`);
    }
    result.lossCurve = curves[0].map((_, i) => meanOf(curves.map((c) => c[i])));
    results.push(result);
  }

  const table = formatCompareTable(results, seeds);
  io.out.write(`\n${table}\n`);
  if (out !== undefined) {
    writeFileAtomic(
      join(dirname(out), chartName),
      lineChart(
        'Training loss (mean over seeds)',
        'training progress (20ths)',
        'cross-entropy',
        results.map((r) => ({ label: r.technique, values: r.lossCurve })),
      ),
    );
    const command = `dropgrad compare ${process.argv.slice(3).join(' ')}`.trim();
    writeFileAtomic(
      out,
      `# Drop techniques compared\n\nProduced by \`${command}\` on ${data.name}.\n\n${table}\n\n![training loss](${chartName})\n`,
    );
    io.out.write(`wrote ${out} and ${chartName}\n`);
  }
  return 0;
}
