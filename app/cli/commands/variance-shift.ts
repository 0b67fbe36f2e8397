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
 * next to the prediction from the formula above, for three placements, then report accuracy.
 */
import { basename, dirname, join } from 'node:path';
import { type CommandSpec, type Flags, parseNumber, parseOutputPath } from '../args';
import { dataFlags, dataNotes, loadData, parseDataFlags } from '../data-flags';
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
    epochs: { type: 'string', value: 'N', description: 'training epochs per variant', default: '1' },
    seed: { type: 'string', value: 'N', description: 'seed', default: '0' },
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

function buildVariants(inputSize: number, classes: number, p: number, beta: number): Variant[] {
  const make = (name: string, noise: NoiseLayer, c: number, noiseBeforeBn: boolean): Variant => {
    const linear = new Linear(256, 128, { dtype: 'float32' });
    const bn = new BatchNorm1d(128, { dtype: 'float32' });
    const head = [new Linear(inputSize, 256, { dtype: 'float32' }), new BatchNorm1d(256, { dtype: 'float32' }), new ReLU()];
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

export async function runVarianceShift(flags: Flags, io: CliIO): Promise<number> {
  const p = parseNumber('p', String(flags.p), { min: 0, max: 0.99 });
  const beta = parseNumber('beta', String(flags.beta), { min: 0, max: 1 });
  const epochs = parseNumber('epochs', String(flags.epochs), { integer: true, min: 1 });
  const seed = parseNumber('seed', String(flags.seed), { integer: true });
  const dataRequest = parseDataFlags(flags);
  const out = flags.out !== undefined ? parseOutputPath('out', String(flags.out)) : undefined;
  const chartName = out !== undefined ? `${basename(out, '.md')}-ratios.svg` : '';
  if (out !== undefined) parseOutputPath('out (its chart)', join(dirname(out), chartName));
  const data = loadData(dataRequest);
  const [c, h, w] = data.train.shape;
  manualSeed(seed);
  const variants = buildVariants(c * h * w, data.train.classes, p, beta);
  const testLoader = new DataLoader(data.test, { batchSize: 500, limit: data.testLimit });
  const probe = new DataLoader(data.test, { batchSize: data.testLimit ?? 2000, limit: data.testLimit });
  const probeBatch = probe[Symbol.iterator]().next().value!.x;

  const rows: string[] = [];
  const results: Array<Shift & { accuracy: number }> = [];
  for (const v of variants) {
    const loader = new DataLoader(data.train, { batchSize: 64, shuffle: true, generator: new Generator(seed + 1), limit: data.trainLimit });
    const optimizer = new Adam(v.model.parameters(), { lr: 1e-3 });
    for (let e = 0; e < epochs; e++) await trainEpoch(v.model, loader, optimizer);
    const shift = measureShift(v, probeBatch);
    const accuracy = evaluate(v.model, testLoader, data.test.classes).accuracy;
    results.push({ ...shift, accuracy });
    rows.push(
      `| ${v.name} | ${shift.measured.toFixed(3)} | ${shift.predicted.toFixed(3)} | ${shift.zeroMean.toFixed(3)} | ${(100 * accuracy).toFixed(2)} |`,
    );
    io.out.write(
      `${v.name}: Var_test/Var_train measured ${shift.measured.toFixed(3)}, predicted ${shift.predicted.toFixed(3)}, zero-mean formula ${shift.zeroMean.toFixed(3)}, test accuracy ${(100 * accuracy).toFixed(2)}%\n`,
    );
  }
  const table = [
    '| variant | Var_test / Var_train at the BN (measured) | predicted: Var_test / (Var_test + c·Σw²E[h²]) | zero-mean formula 1/(1+c) | test accuracy % |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  io.out.write(`\n${table}\n`);
  if (out !== undefined) {
    const chart = barChart(
      'Variance shift at the BatchNorm after the noise',
      'Var_test / Var_train',
      variants.map((v) => v.name),
      [
        { label: 'measured', values: results.map((r) => r.measured) },
        { label: 'predicted', values: results.map((r) => r.predicted) },
        { label: 'zero-mean formula', values: results.map((r) => r.zeroMean) },
      ],
    );
    writeFileAtomic(join(dirname(out), chartName), chart);
    const command = `dropgrad variance-shift ${process.argv.slice(3).join(' ')}`.trim();
    writeFileAtomic(
      out,
      `# The Dropout / BatchNorm variance shift\n\nProduced by \`${command}\` on ${data.name}.\n\n${table}\n\n![variance ratios](${chartName})\n`,
    );
    io.out.write(`wrote ${out} and ${chartName}\n`);
  }
  return 0;
}
