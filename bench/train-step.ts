/**
 * One training step of the default small CNN, dropgrad against PyTorch (and, with --peers, the
 * JavaScript peers), interleaved in one run:
 *
 *   npm run bench:train [-- --rounds N] [-- --peers] [-- --json]
 *
 * The step: models.smallCnn({ dtype: 'float32' }) (conv3×3 1→16 → BN → ReLU → maxpool 2 → conv3×3
 * 16→32 → BN → ReLU → maxpool 2 → Linear 1568→128 → ReLU → Linear 128→10) on a batch of 1×28×28
 * images, cross-entropy, backward, Adam (lr 1e-3). Rows, batch 64: every dropgrad CPU backend (wasm
 * on 1 thread and on every core), PyTorch on the same thread counts (child processes); batch 256:
 * dropgrad wasm and PyTorch on every core. --peers adds ConvNetJS 0.3 and TensorFlow.js' cpu backend
 * at batch 64 (about 16 s a step: it makes a run of a few seconds one of minutes).
 *
 * The systems take turns round by round (bench/interleave.ts); the table gives each one's median
 * ms/step, then the summary pairs each workload's dropgrad wasm row with its peer on as many threads.
 */
import { parseArgs } from 'node:util';
import { machine, threadsName } from './harness';
import { type SystemOrUnavailable, parseRounds } from './interleave';
import { type Comparison, runBenchmark } from './report';
import { randomBatch } from './small-cnn/batch';
import { cores, otherBackendConfigurations, threadCounts, wasmConfiguration } from './small-cnn/dropgrad-configurations';
import { pytorchSystem } from './small-cnn/pytorch';
import { convnetjsSystem } from './train-step/convnetjs';
import { dropgradSystem } from './train-step/dropgrad';
import { tfjsSystem } from './train-step/tfjs';

const seed = 11;
/** Seven rounds: well under a minute on a quiet machine without --peers, three or more with them (tfjs' 16 s steps). */
const defaultRounds = 7;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string' }, json: { type: 'boolean' }, peers: { type: 'boolean' } } });
  const rounds = parseRounds(values.rounds, defaultRounds);
  const [small, large] = [randomBatch(seed, 64), randomBatch(seed, 256)];
  const others = otherBackendConfigurations().map((configuration) => dropgradSystem(configuration, small, seed));
  const wasm = threadCounts.map((threads) => dropgradSystem(wasmConfiguration(threads), small, seed));
  const pytorch: SystemOrUnavailable[] = [];
  for (const threads of threadCounts) pytorch.push(await pytorchSystem('train', small, threads, 5));
  const wasmLarge = dropgradSystem(wasmConfiguration(cores), large, seed);
  const pytorchLarge = await pytorchSystem('train', large, cores, 2);
  const peers = values.peers ? [convnetjsSystem(small), await tfjsSystem(small)] : [];

  const comparisons: Comparison[] = [
    ...threadCounts.map((threads, i) => ({ workload: `train, batch 64, ${threadsName(threads)}`, ours: wasm[i], peer: pytorch[i] })),
    { workload: `train, batch 256, ${threadsName(cores)}`, ours: wasmLarge, peer: pytorchLarge },
    ...peers.map((peer) => ({ workload: 'train, batch 64, 1 thread', ours: wasm[0], peer })),
  ];
  if (cores > 1) comparisons.push({ workload: `train, batch 64: ${threadsName(cores)} / 1 thread`, ours: wasm[1], peer: wasm[0] });
  await runBenchmark({
    title: `training step: models.smallCnn, 1×28×28 images, float32, Adam lr 1e-3, cross-entropy; median over ${rounds} interleaved rounds — ${machine()}`,
    systems: [...others, ...wasm, ...pytorch, wasmLarge, pytorchLarge, ...peers],
    comparisons,
    rounds,
    valueHeader: 'last loss',
    json: values.json ?? false,
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
