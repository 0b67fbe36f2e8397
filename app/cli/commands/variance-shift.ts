/**
 * `dropgrad variance-shift`: the experiment behind the Dropout/BatchNorm disharmony (Li et al.
 * 2019). A unit after a noise layer and a linear layer, y = Σᵢ wᵢ·nᵢ·hᵢ, has in training
 *
 *   Var_train(y) = Var_test(y) + c · Σᵢ wᵢ² E[hᵢ²],   c = p/(1−p) (dropout), β²/3 (Uout),
 *
 * because the noise n is independent, has mean 1 and variance c. BatchNorm normalises with
 * Var_train while training but its running statistics carry that variance into test, where the
 * unit only has Var_test: the ratio Var_test/Var_train (< 1) is the shift. For zero-mean hᵢ it is
 * exactly 1 − p (dropout) and 1/(1 + β²/3) (Uout). We measure it at the BN that follows the noise,
 * next to the prediction from the formula above, for three placements, then report test accuracy
 * over seeds with Welch's p-values: the paper's claim is that dropout before BN costs accuracy
 * against dropout after the last BN, and that Uout before BN costs less.
 *
 * The measured ratio sits far above 1 − p because Var_test(y) = Σᵢⱼ wᵢwⱼ Cov(hᵢ, hⱼ) holds the
 * covariances between units, which the noise term (a sum over units only) does not grow with: the
 * paper's width argument. A mean term in E[hᵢ²] works the other way — it enlarges the noise term,
 * i.e. the training variance, and pushes the ratio down.
 */
import { basename, dirname, join } from 'node:path';
import { type CommandSpec, type Flags, UsageError, maxSeed, parseNumber, parseOutputPath, parseSeed } from '../args';
import { type RunRecord, commandLine, formatDuration, formatP, percent as pct, provenance, writeReportPage } from '../report-page';
import { type Summary, mean, summarize, welchPValue } from '../../statistics/welch';
import { dataFlags, dataNotes, examplesUsed, loadData, parseDataFlags } from '../data-flags';
import type { CliIO } from '../io';
import { DataLoader } from '../../data/data-loader';
import { Generator, manualSeed } from '../../../lib/random/generator';
import { noGrad } from '../../../lib/grad-mode';
import type { Tensor } from '../../../lib/tensor';
import { trainEpoch } from '../../training/train-epoch';
import { evaluate } from '../../training/evaluate';
import { Adam } from '../../../nn/optim/adam';
import type { Module } from '../../../nn/module';
import { Sequential } from '../../../nn/containers';
import { Flatten } from '../../../nn/flatten';
import { Linear } from '../../../nn/linear';
import { BatchNorm1d } from '../../../nn/batchnorm';
import { ReLU } from '../../../nn/activations';
import { Dropout } from '../../../nn/drop/dropout';
import { Uout } from '../../../nn/drop/uout';
import type { NoiseLayer } from '../../../nn/drop/noise-layer';
import { barChart } from '../../render/svg-chart';
import { writeFileAtomic } from '../../serialization/atomic-write';

export const varianceShiftSpec: CommandSpec = {
  name: 'variance-shift',
  summary: 'Measure the train/test variance shift that Dropout before BatchNorm causes, against the formula, and the Uout remedy.',
  flags: {
    p: { type: 'string', value: 'P', description: 'dropout rate', default: '0.5' },
    beta: { type: 'string', value: 'BETA', description: 'Uout noise range', default: '0.5' },
    width: { type: 'string', value: 'N', description: 'units of the hidden layer the noise acts on', default: '256' },
    epochs: { type: 'string', value: 'N', description: 'training epochs per variant', default: '1' },
    seed: { type: 'string', value: 'N', description: 'first seed', default: '0' },
    seeds: {
      type: 'string',
      value: 'N',
      description: 'seeds per variant (accuracy mean ± std and Welch p-values from 2 on)',
      default: '1',
    },
    json: { type: 'boolean', description: 'print the results as JSON on stdout (progress goes to stderr)' },
    out: { type: 'string', value: 'FILE.md', description: 'write the table and an SVG chart as a Markdown report' },
    ...dataFlags,
    limit: { type: 'string', value: 'N', description: 'training examples used', default: '10000' },
    'test-limit': { type: 'string', value: 'N', description: 'test examples used', default: '2000' },
  },
  notes: dataNotes,
};

interface Variant {
  name: string;
  model: Sequential;
  /** The noise layer, the linear layer after it, and the BN whose input is measured. */
  noise: NoiseLayer;
  linear: Linear;
  bn: BatchNorm1d;
  /** c in Var_train = Var_test + c·Σw²E[h²], and its zero-mean ratio 1/(1 + c). */
  c: number;
}

/** The three placements, each from the same initial weights (the generator is reseeded for each). */
function buildVariants(inputSize: number, classes: number, p: number, beta: number, width: number, seed: number): Variant[] {
  const make = (name: string, noise: NoiseLayer, c: number, noiseBeforeBn: boolean): Variant => {
    manualSeed(seed);
    const linear = new Linear(width, 128, { dtype: 'float32' });
    const bn = new BatchNorm1d(128, { dtype: 'float32' });
    const head = [new Linear(inputSize, width, { dtype: 'float32' }), new BatchNorm1d(width, { dtype: 'float32' }), new ReLU()];
    const layers: Module[] = noiseBeforeBn
      ? [...head, noise, linear, bn, new ReLU(), new Linear(128, classes, { dtype: 'float32' })]
      : [...head, linear, bn, new ReLU(), noise, new Linear(128, classes, { dtype: 'float32' })];
    return { name, model: new Sequential(new Flatten(), ...layers), noise, linear, bn, c: noiseBeforeBn ? c : 0 };
  };
  return [
    make(`dropout ${p} before BN`, new Dropout(p), p / (1 - p), true),
    make(`dropout ${p} after the last BN`, new Dropout(p), p / (1 - p), false),
    make(`Uout ${beta} before BN`, new Uout(beta), (beta * beta) / 3, true),
  ];
}

/** Per-column variance of a [rows, cols] tensor. */
function columnVariances(t: Tensor): Float64Array {
  const [rows, cols] = t.shape;
  const d = t.contiguousData();
  const mean = new Float64Array(cols);
  const sq = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let k = 0; k < cols; k++) mean[k] += d[r * cols + k] / rows;
  for (let r = 0; r < rows; r++) for (let k = 0; k < cols; k++) sq[k] += (d[r * cols + k] - mean[k]) ** 2 / rows;
  return sq;
}

interface Shift {
  measured: number;
  predicted: number;
  zeroMean: number;
}

/**
 * Runs the model up to the measured BN with every layer in eval mode except the noise layer,
 * which is toggled: the only difference between the two passes is the noise.
 */
function measureShift(v: Variant, x: Tensor): Shift {
  return noGrad(() => {
    const layers = v.model.children();
    const untilBn = layers.slice(0, layers.indexOf(v.bn));
    const untilNoise = layers.slice(0, layers.indexOf(v.noise));
    v.model.eval();
    const run = (mods: Module[]): Tensor => mods.reduce((h, m) => m.forward(h), x);
    const testVar = columnVariances(run(untilBn));
    v.noise.train();
    const trainVar = columnVariances(run(untilBn));
    v.model.train();
    // Prediction: Var_test + c·Σᵢ wᵢ² E[hᵢ²], with h the noise layer's input (when it precedes the BN).
    const predictedTrain = Float64Array.from(testVar);
    if (v.c > 0) {
      v.model.eval();
      const h = run(untilNoise);
      v.model.train();
      const [rows, inputs] = h.shape;
      const hd = h.contiguousData();
      const meanSquare = new Float64Array(inputs);
      for (let r = 0; r < rows; r++) for (let i = 0; i < inputs; i++) meanSquare[i] += hd[r * inputs + i] ** 2 / rows;
      const w = v.linear.weight.contiguousData();
      for (let k = 0; k < predictedTrain.length; k++) {
        let s = 0;
        for (let i = 0; i < inputs; i++) s += w[k * inputs + i] ** 2 * meanSquare[i];
        predictedTrain[k] += v.c * s;
      }
    }
    const meanRatio = (num: Float64Array, den: Float64Array): number => num.reduce((a, n, k) => a + n / den[k], 0) / num.length;
    return { measured: meanRatio(testVar, trainVar), predicted: meanRatio(testVar, predictedTrain), zeroMean: 1 / (1 + v.c) };
  });
}

export interface PlacementResult {
  name: string;
  /** Var_test / Var_train at the BN after the noise: measured and predicted (means over seeds), and 1/(1 + c). */
  measured: number;
  predicted: number;
  zeroMean: number;
  testAcc: Summary;
}

export interface VarianceShiftReport {
  config: {
    p: number;
    beta: number;
    width: number;
    epochs: number;
    seeds: number[];
    data: string;
    trainExamples: number;
    testExamples: number;
  };
  /** Dropout before BN, dropout after the last BN, Uout before BN. */
  placements: PlacementResult[];
  /** Welch's p: dropout before BN vs after the last BN, and Uout before BN vs dropout before BN (null with one seed). */
  pBeforeVsAfter: number | null;
  pUoutVsBefore: number | null;
}

export function varianceShiftTable(report: VarianceShiftReport): string {
  const n = report.config.seeds.length;
  const pColumn = [
    `${formatP(report.pBeforeVsAfter)} (vs after the last BN)`,
    '—',
    `${formatP(report.pUoutVsBefore)} (vs dropout before BN)`,
  ];
  const rows = report.placements.map(
    (r, i) =>
      `| ${r.name} | ${r.measured.toFixed(3)} | ${r.predicted.toFixed(3)} | ${r.zeroMean.toFixed(3)} | ${pct(r.testAcc.mean)} ± ${pct(r.testAcc.std)} | ${pColumn[i]} |`,
  );
  return [
    `| variant | Var_test / Var_train at the BN (measured${n > 1 ? `, mean of ${n} seeds` : ''}) | predicted: Var_test / (Var_test + c·Σw²E[h²]) | zero-mean formula 1/(1+c) | test accuracy % (mean ± std, ${n} seeds) | Welch p |`,
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

const DEFAULT_PROSE = `## Reading it

The measured ratio matches the prediction from the formula (computed from the trained weights and
the statistics of the noise layer's input) to within sampling error, and it sits well above the
zero-mean value 1 − p. Not because of a mean term in E[h²]: that term only enlarges the noise part
c·Σw²E[h²], i.e. the training variance, and would push the ratio *below* 1 − p. The ratio is
closer to 1 because the units after the ReLU are correlated: Var_test(y) = Σᵢⱼ wᵢwⱼ Cov(hᵢ, hⱼ)
has the covariances between units, while the noise adds only a sum over single units. This is
the paper's width argument: the wider the layer (and the more correlated its units), the more
the covariance terms dominate and the smaller the shift. Placing dropout after the last BN
removes the shift entirely; Uout with β = 0.5 reduces it to a few percent.`;

/** report.md's chart: report-ratios.svg in its directory. */
const chartPath = (out: string): string => join(dirname(out), `${basename(out, '.md')}-ratios.svg`);

/**
 * Writes the page (keeping its prose) and its chart from the report, for `--out` and for
 * `npm run results`, which rebuilds it from the stored JSON. Returns the chart's path.
 */
export function writeVarianceShiftPage(out: string, report: VarianceShiftReport, run: RunRecord): string {
  const { config, placements } = report;
  const chart = chartPath(out);
  writeFileAtomic(
    chart,
    barChart(
      'Variance shift at the BatchNorm after the noise',
      'Var_test / Var_train',
      placements.map((r) => r.name),
      [
        { label: 'measured', values: placements.map((r) => r.measured) },
        { label: 'predicted', values: placements.map((r) => r.predicted) },
        { label: 'zero-mean formula', values: placements.map((r) => r.zeroMean) },
      ],
    ),
  );
  const generated = [
    '# The Dropout / BatchNorm variance shift',
    '',
    `An MLP with BatchNorm, hidden layers of ${config.width} and 128 units, on ${config.data} (${config.trainExamples} training, ${config.testExamples} test images, ${config.epochs} epoch${config.epochs > 1 ? 's' : ''} of Adam), ` +
      `dropout p = ${config.p}, Uout β = ${config.beta}. The ratio is measured at the BN that follows the noise.`,
    '',
    provenance(run),
    '',
    varianceShiftTable(report),
    '',
    `![variance ratios](${basename(chart)})`,
  ].join('\n');
  writeReportPage(out, generated, DEFAULT_PROSE);
  return chart;
}

export async function runVarianceShift(flags: Flags, io: CliIO): Promise<number> {
  const start = performance.now();
  const p = parseNumber('p', String(flags.p), { min: 0, max: 0.99 });
  const beta = parseNumber('beta', String(flags.beta), { min: 0, max: 1 });
  const width = parseNumber('width', String(flags.width), { integer: true, min: 1 });
  const epochs = parseNumber('epochs', String(flags.epochs), { integer: true, min: 1 });
  const firstSeed = parseSeed('seed', String(flags.seed));
  const seedCount = parseNumber('seeds', String(flags.seeds), { integer: true, min: 1 });
  if (firstSeed + seedCount - 1 > maxSeed)
    throw new UsageError(
      `--seed ${firstSeed} with --seeds ${seedCount} runs seeds up to ${firstSeed + seedCount - 1}, past the largest seed ${maxSeed}`,
    );
  const seeds = Array.from({ length: seedCount }, (_, i) => firstSeed + i);
  const dataRequest = parseDataFlags(flags);
  const out = flags.out !== undefined ? parseOutputPath('out', String(flags.out)) : undefined;
  if (out !== undefined) parseOutputPath('out (its chart)', chartPath(out));
  const log = flags.json ? io.err : io.out;
  const data = loadData(dataRequest);
  const [c, h, w] = data.train.shape;
  const testLoader = new DataLoader(data.test, { batchSize: 500, limit: data.testLimit });
  const probe = new DataLoader(data.test, { batchSize: data.testLimit ?? 2000, limit: data.testLimit });
  const probeBatch = probe[Symbol.iterator]().next().value!.x;

  // perSeed[variant][seed]
  const perSeed: Array<Array<Shift & { accuracy: number }>> = [[], [], []];
  let names: string[] = [];
  for (const seed of seeds) {
    const variants = buildVariants(c * h * w, data.train.classes, p, beta, width, seed);
    names = variants.map((v) => v.name);
    for (const [i, v] of variants.entries()) {
      const loader = new DataLoader(data.train, {
        batchSize: 64,
        shuffle: true,
        generator: new Generator(seed + 1),
        limit: data.trainLimit,
      });
      const optimizer = new Adam(v.model.parameters(), { lr: 1e-3 });
      for (let e = 0; e < epochs; e++) await trainEpoch(v.model, loader, optimizer);
      const shift = measureShift(v, probeBatch);
      const accuracy = evaluate(v.model, testLoader, data.test.classes).accuracy;
      perSeed[i].push({ ...shift, accuracy });
      if (seeds.length > 1) log.write(`  ${v.name}, seed ${seed}: ratio ${shift.measured.toFixed(3)}, test accuracy ${pct(accuracy)}%\n`);
    }
  }
  const placements: PlacementResult[] = names.map((name, i) => ({
    name,
    measured: mean(perSeed[i].map((r) => r.measured)),
    predicted: mean(perSeed[i].map((r) => r.predicted)),
    zeroMean: perSeed[i][0].zeroMean,
    testAcc: summarize(perSeed[i].map((r) => r.accuracy)),
  }));
  for (const r of placements) {
    log.write(
      `${r.name}: Var_test/Var_train measured ${r.measured.toFixed(3)}, predicted ${r.predicted.toFixed(3)}, zero-mean formula ${r.zeroMean.toFixed(3)}, test accuracy ${pct(r.testAcc.mean)}%${seeds.length > 1 ? ` ± ${pct(r.testAcc.std)}` : ''}\n`,
    );
  }
  const [before, after, uout] = placements;
  const used = examplesUsed(data);
  const report: VarianceShiftReport = {
    config: {
      p,
      beta,
      width,
      epochs,
      seeds,
      data: data.name,
      trainExamples: used.train,
      testExamples: used.test,
    },
    placements,
    pBeforeVsAfter: welchPValue(before.testAcc.values, after.testAcc.values),
    pUoutVsBefore: welchPValue(uout.testAcc.values, before.testAcc.values),
  };
  const table = varianceShiftTable(report);
  log.write(`\n${table}\n`);
  if (flags.json) io.out.write(`${JSON.stringify(report, null, 2)}\n`);
  if (out !== undefined) {
    const chart = writeVarianceShiftPage(out, report, {
      command: commandLine('variance-shift'),
      seeds,
      seconds: (performance.now() - start) / 1000,
    });
    log.write(`wrote ${out} and ${basename(chart)} (${formatDuration((performance.now() - start) / 1000)})\n`);
  }
  return 0;
}
