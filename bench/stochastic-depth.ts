/**
 * The training-time saving of stochastic depth (Huang et al. 2016): in 'batch' mode a dropped
 * block skips its residual branch entirely, forward and backward. With the linear decay
 * p_l = 1 − (l/L)(1 − p_L) the expected fraction of branches computed is the mean of p_l, so the
 * saving on the blocks approaches 1 − mean(p_l) (the stem, pooling and classifier always run).
 * 'row' mode masks per sample and computes every branch, so it saves nothing.
 *
 *   npx tsx bench/stochastic-depth.ts
 *
 * Times one full training step (forward, backward, Adam) on N=32 MNIST-sized inputs; the median
 * over many steps, since which blocks are dropped varies from step to step.
 */
import { crossEntropy, manualSeed, optim, randn, tensor } from '../index';
import { resnet } from '../nn/models/resnet';
import { linearSurvival } from '../nn/drop/drop-path';
import { machine, medianMs } from './harness';

const layers = [2, 2, 2];
const blocks = layers.reduce((a, b) => a + b, 0);
const pL = 0.5;

function stepTime(stochasticDepth?: { pL: number; mode: 'batch' | 'row' }): number {
  manualSeed(0);
  const model = resnet({ layers, widths: [16, 32, 64], dtype: 'float32', stochasticDepth });
  const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const x = randn([32, 1, 28, 28], { dtype: 'float32' });
  const y = tensor(
    Array.from({ length: 32 }, (_, i) => i % 10),
    { dtype: 'float32' },
  );
  return medianMs(
    () => {
      opt.zeroGrad();
      crossEntropy(model.forward(x), y).backward();
      opt.step();
    },
    { warmup: 3, runs: 25 },
  );
}

const meanSurvival = Array.from({ length: blocks }, (_, l) => linearSurvival(l + 1, blocks, pL)).reduce((a, b) => a + b) / blocks;
console.log(machine());
console.log(
  `ResNet ${layers.join('-')} (widths 16/32/64), batch 32, 28×28, float32, js backend; p_L = ${pL}, mean survival ${meanSurvival.toFixed(3)}`,
);
const base = stepTime();
const batchMode = stepTime({ pL, mode: 'batch' });
const rowMode = stepTime({ pL, mode: 'row' });
const rows: Array<[string, number]> = [
  ['no stochastic depth', base],
  ["stochastic depth, 'batch' mode", batchMode],
  ["stochastic depth, 'row' mode", rowMode],
];
console.log('\nvariant                          ms/step (median of 25)   time vs none');
for (const [name, ms] of rows) console.log(`${name.padEnd(32)} ${ms.toFixed(1).padStart(10)}               ${(ms / base).toFixed(2)}×`);
console.log(`\nupper bound on the saving if the blocks were all the cost: ${(100 * (1 - meanSurvival)).toFixed(1)}%`);
