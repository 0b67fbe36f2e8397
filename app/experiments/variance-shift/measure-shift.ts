import { noGrad } from '../../../lib/grad-mode';
import type { Tensor } from '../../../lib/tensor';
import type { Module } from '../../../nn/module';
import type { Placement } from './placements';

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

export interface Shift {
  measured: number;
  predicted: number;
  zeroMean: number;
}

/**
 * Runs the model up to the measured BN with every layer in eval mode except the noise layer,
 * which is toggled: the only difference between the two passes is the noise (none for the model
 * without noise, whose ratio is 1).
 */
export function measureShift(v: Placement, x: Tensor): Shift {
  return noGrad(() => {
    const layers = v.model.children();
    const untilBn = layers.slice(0, layers.indexOf(v.bn));
    v.model.eval();
    const run = (mods: Module[]): Tensor => mods.reduce((h, m) => m.forward(h), x);
    const testVar = columnVariances(run(untilBn));
    v.noise?.train();
    const trainVar = v.noise === null ? testVar : columnVariances(run(untilBn));
    v.model.train();
    // Prediction: Var_test + c·Σᵢ wᵢ² E[hᵢ²], with h the noise layer's input (when it precedes the BN).
    const predictedTrain = Float64Array.from(testVar);
    if (v.c > 0 && v.noise !== null) {
      v.model.eval();
      const h = run(layers.slice(0, layers.indexOf(v.noise)));
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
