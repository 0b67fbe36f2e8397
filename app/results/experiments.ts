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
  /** Minutes on the slower host of the project's 2-core machine kind, measured and rounded up; the measurements are beside each. */
  minutes: number;
  /** The dropgrad command line, without the data flags, --json and --out. */
  args: readonly string[];
  /** A tiny version for tests (--quick): seconds, not minutes. */
  quickArgs: readonly string[];
}

/** A command line written as it is typed. */
const words = (line: string): string[] => line.split(' ');

/**
 * The first seed of the final runs: past every seed a probe has used (the validation probes'
 * 100 … 104; the superseded test-set probes', compare's and variance-shift's 0 … 4 and stochastic
 * depth's one-seed runs; docs/results/README.md), so that no final measurement repeats a run that chose a setting.
 */
export const finalSeedOffset = 200;

export const EXPERIMENTS: readonly Experiment[] = [
  ...(['Fashion-MNIST', 'MNIST'] as const).map(
    (dataset): Experiment => ({
      name: `compare-${dataset.toLowerCase()}`,
      kind: 'compare',
      title: `compare, overfitting preset, ${dataset}`,
      dataset,
      // Measured on the slower of the project's two hosts, an AMD EPYC (7 Dec 2026, the drop masks
      // as wasm kernels): 9:50 (Fashion-MNIST) and 10:00 (MNIST); 12:01 and 11:55 there before the
      // masks were (a run of 49:36, over the budget), 9:49 and 9:53 on an Intel Xeon host.
      minutes: 10,
      args: words(`compare --preset overfit --seed-offset ${finalSeedOffset} --jobs 2`),
      quickArgs: words(
        `compare --preset overfit --seed-offset ${finalSeedOffset} --jobs 2 --techniques none,dropout,dropout-conv,dropout2d,dropblock,dropblock-no-schedule,cutout --seeds 2 --epochs 1 --limit 64 --test-limit 64`,
      ),
    }),
  ),
  {
    name: 'stochastic-depth',
    kind: 'stochastic-depth',
    title:
      "stochastic depth: time per epoch and accuracy of a ResNet-56, scaled down from the paper's ResNet-110 (half its widths, 500 images, 20 epochs, 5,000 test images)",
    dataset: 'Fashion-MNIST',
    // With --jobs 2 each process runs 2 of the 4 seeds, each seed both variants and an evaluation of
    // 5,000 test images after each (~50 s on the AMD EPYC host). Measured there (7 Dec 2026): 18:32
    // (12.5 s an epoch without stochastic depth, 9.9 s with it); 20:00 before its warm-up stopped
    // evaluating the test images twice per process; 12:26 on an Intel Xeon host.
    minutes: 19,
    args: words(
      `stochastic-depth --blocks 9 --width 8 --seeds 4 --seed-offset ${finalSeedOffset} --epochs 20 --batch-size 32 --optimizer adam --lr 0.005 --limit 500 --test-limit 5000 --jobs 2`,
    ),
    quickArgs: words(`stochastic-depth --blocks 1 --seeds 2 --seed-offset ${finalSeedOffset} --epochs 1 --limit 64 --test-limit 64`),
  },
  {
    name: 'variance-shift',
    kind: 'variance-shift',
    title: 'the Dropout / BatchNorm variance shift against no noise, Uout at equal noise variance, accuracy over seeds',
    dataset: 'Fashion-MNIST',
    // The width, 256, is the validation probe's choice (docs/results/sweep.md). That probe (these rows,
    // 5 seeds, 20,000 images, 10,000 scored; 7 Dec 2026, a loaded machine) took 489 s of CPU at width
    // 256 and 161 s at width 64, whose final run took 1 min 33 s: 93 s × 489/161 ≈ 4.7 min. Measured
    // since on the AMD EPYC host (7 Dec 2026): 5:41, then 5:28.
    minutes: 6,
    args: words(
      `variance-shift --p 0.5,0.25 --beta 0.1,1 --width 256 --seeds 5 --seed-offset ${finalSeedOffset} --epochs 3 --limit 20000 --test-limit 10000`,
    ),
    quickArgs: words(
      `variance-shift --p 0.5,0.25 --beta 0.1,1 --width 16 --seeds 2 --seed-offset ${finalSeedOffset} --limit 64 --test-limit 64`,
    ),
  },
];

export const TOTAL_BUDGET_MINUTES = 45;

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
