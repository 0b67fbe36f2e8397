/**
 * Inference with the default small CNN, dropgrad against TensorFlow.js' wasm backend (and PyTorch),
 * interleaved in one run:
 *
 *   npm run bench:infer [-- --rounds N] [-- --json]
 *
 * The network: models.smallCnn({ dtype: 'float32' }) in eval mode (batch norm on its running
 * statistics, drawn at random so that they matter), one forward pass under noGrad of a batch of 1 and
 * of 64 1×28×28 images. Rows per batch: dropgrad wasm on 1 thread and on every core; tfjs wasm (one
 * thread in Node) running the same layers with dropgrad's weights copied in — its outputs are checked
 * against dropgrad's before anything is timed, and a disagreement stops the run; PyTorch in eval mode
 * under torch.no_grad, with the same weights, on 1 thread and on every core. The output sums in the
 * table show all three computed the same numbers.
 *
 * The systems take turns round by round (bench/interleave.ts); the summary gives each dropgrad row's
 * examples/s against tfjs wasm's and against PyTorch's on as many threads.
 */
import { parseArgs } from 'node:util';
import { tensor } from '../index';
import { machine, threadsName } from './harness';
import { dropgradForward, dropgradInference, inferenceModel } from './infer/dropgrad';
import { agreementTolerance, checkAgreement } from './infer/outputs';
import { tfjsForward, tfjsInference, tfjsInput, tfjsTwin } from './infer/tfjs';
import { type SystemOrUnavailable, type TimedSystem, parseRounds } from './interleave';
import { type Comparison, runBenchmark } from './report';
import { randomBatch } from './small-cnn/batch';
import { cores, threadCounts, wasmConfiguration } from './small-cnn/dropgrad-configurations';
import { pytorchSystem } from './small-cnn/pytorch';

const seed = 11;
const defaultRounds = 9;
const batchSizes = [1, 64];
/** Forward passes per round: about 20–50 ms of work for each row at either batch size. */
const stepsPerRound = (batch: number): number => (batch === 1 ? 40 : 3);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string' }, json: { type: 'boolean' } } });
  const rounds = parseRounds(values.rounds, defaultRounds);
  const json = values.json ?? false;
  const systems: SystemOrUnavailable[] = [];
  const comparisons: Comparison[] = [];
  const batches = batchSizes.map((size) => randomBatch(seed, size));
  const model = inferenceModel(seed, batches[0].classes);
  const twin = await tfjsTwin(model, batches[0]);
  // PyTorch's state_dict has the same keys, order and shapes; num_batches_tracked plays no part in eval.
  const weights = Object.entries(model.stateDict())
    .filter(([key]) => !key.endsWith('num_batches_tracked'))
    .map(([, value]) => value.data as Float32Array);
  const agreement: string[] = [];
  for (const batch of batches) {
    const size = batch.shape[0];
    // One check covers every thread count: the wasm kernels' results do not depend on it.
    wasmConfiguration(1).apply();
    const ours = dropgradForward(model, tensor(batch.images, { shape: [...batch.shape] })).data;
    const x = tfjsInput(batch);
    const worst = checkAgreement(`infer, batch ${size}`, ours, tfjsForward(twin, x));
    x.dispose();
    agreement.push(`batch ${size}: ${worst.toExponential(1)}`);

    const steps = stepsPerRound(size);
    const wasm = threadCounts.map((threads) => dropgradInference(wasmConfiguration(threads), model, batch, steps));
    const tfjs: TimedSystem = tfjsInference(twin, batch, steps);
    const pytorch: SystemOrUnavailable[] = [];
    for (const threads of threadCounts) pytorch.push(await pytorchSystem('infer', batch, threads, steps, weights));
    systems.push(...wasm, tfjs, ...pytorch);
    threadCounts.forEach((threads, i) => {
      const workload = `infer, batch ${size}, ${threadsName(threads)}`;
      comparisons.push({ workload, ours: wasm[i], peer: tfjs }, { workload, ours: wasm[i], peer: pytorch[i] });
    });
    if (cores > 1) comparisons.push({ workload: `infer, batch ${size}: ${threadsName(cores)} / 1 thread`, ours: wasm[1], peer: wasm[0] });
  }
  await runBenchmark({
    title: `inference: models.smallCnn in eval mode, 1×28×28 images, float32, no grad; median over ${rounds} interleaved rounds — ${machine()}`,
    systems,
    comparisons,
    rounds,
    valueHeader: 'output sum',
    notes: [
      `dropgrad's outputs against tfjs' (same weights), largest |Δ|/(1+|tfjs|), at most ${agreementTolerance}: ${agreement.join(', ')}`,
    ],
    json,
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
