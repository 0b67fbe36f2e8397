/**
 * The experiments behind docs/results/, one row each: the command line that runs it (and a tiny
 * one for tests), its data set and its estimated minutes; and the budget printed before a run.
 */
import { machineDescription } from './report-page';

export type DatasetName = 'Fashion-MNIST' | 'MNIST';

/** How each data set is chosen on the command line (Fashion-MNIST: Debian's dataset-fashion-mnist). */
export const DATASET_FLAGS: Record<DatasetName, readonly string[]> = {
  'Fashion-MNIST': ['--dataset', 'fashion-mnist'],
  MNIST: ['--dataset', 'mnist'],
};

export type ExperimentKind = 'compare' | 'stochastic-depth' | 'variance-shift';

export interface Experiment {
  name: string;
  kind: ExperimentKind;
  title: string;
  dataset: DatasetName;
  /** Estimated minutes on the project's 2-core machine: the last full run's wall time, rounded up (18 min 7 s on 28 Nov 2026: 5:05, 5:09, 7:14, 0:39). */
  minutes: number;
  /** The dropgrad command line, without the data flags, --json and --out. */
  args: readonly string[];
  /** A tiny version for tests (--quick): seconds, not minutes. */
  quickArgs: readonly string[];
}

/** A command line written as it is typed. */
const words = (line: string): string[] => line.split(' ');

export const EXPERIMENTS: readonly Experiment[] = [
  ...(['Fashion-MNIST', 'MNIST'] as const).map(
    (dataset): Experiment => ({
      name: `compare-${dataset.toLowerCase()}`,
      kind: 'compare',
      title: `compare, overfitting preset, ${dataset}`,
      dataset,
      minutes: 6,
      args: words('compare --preset overfit --jobs 2'),
      quickArgs: words('compare --preset overfit --jobs 2 --techniques none,dropout --seeds 2 --epochs 1 --limit 64 --test-limit 64'),
    }),
  ),
  {
    name: 'stochastic-depth',
    kind: 'stochastic-depth',
    title: 'stochastic depth: time per epoch and accuracy of a ResNet-20',
    dataset: 'Fashion-MNIST',
    minutes: 8,
    args: words(
      'stochastic-depth --blocks 3 --width 8 --seeds 4 --epochs 32 --batch-size 32 --optimizer adam --lr 0.005 --limit 500 --test-limit 10000 --jobs 2',
    ),
    quickArgs: words('stochastic-depth --blocks 1 --seeds 2 --epochs 1 --limit 64 --test-limit 64'),
  },
  {
    name: 'variance-shift',
    kind: 'variance-shift',
    title: 'the Dropout / BatchNorm variance shift, accuracy over seeds',
    dataset: 'Fashion-MNIST',
    minutes: 1,
    args: words('variance-shift --p 0.6 --width 64 --seeds 5 --epochs 3 --limit 20000 --test-limit 10000'),
    quickArgs: words('variance-shift --width 16 --seeds 2 --limit 64 --test-limit 64'),
  },
];

export const TOTAL_BUDGET_MINUTES = 30;

/** One experiment's result as stored in <out>/data/<name>.json. */
export interface ExperimentRecord {
  name: string;
  kind: ExperimentKind;
  title: string;
  dataset: DatasetName;
  command: string;
  seconds: number;
  machine: string;
  finishedAt: string;
  result: unknown;
}

/** The command line as a reader would type it, for the pages: its JSON is what the page is written from. */
export function commandFor(experiment: Experiment, quick: boolean): string[] {
  return [...(quick ? experiment.quickArgs : experiment.args), ...DATASET_FLAGS[experiment.dataset], '--json'];
}

export function budgetText(experiments: readonly Experiment[]): string {
  const total = experiments.reduce((a, e) => a + e.minutes, 0);
  return [
    `npm run results: ${experiments.length} experiments on ${machineDescription()}`,
    ...experiments.map(
      (e) => `  ${e.name.padEnd(24)} ~${String(e.minutes).padStart(2)} min  dropgrad ${[...e.args, ...DATASET_FLAGS[e.dataset]].join(' ')}`,
    ),
    `  ${'total'.padEnd(24)} ~${String(total).padStart(2)} min  (budget ${TOTAL_BUDGET_MINUTES} min)`,
  ].join('\n');
}
