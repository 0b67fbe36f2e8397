/**
 * What each drop technique adds to a training step, dropgrad and PyTorch in one run:
 *
 *   npm run bench:techniques [-- --rounds N] [-- --json]
 *
 * The step of bench/train-step.ts (models.smallCnn, float32, batch 64, Adam) with one technique in
 * its slot of the model, at the rate `dropgrad compare` uses: on the conv maps (after each stage's
 * ReLU, two maps of 401,408 and 200,704 values per batch) or in the classifier (after the flatten
 * and the hidden ReLU). Every row runs on one thread, dropgrad's wasm backend and PyTorch alike: the
 * masks are drawn on the calling thread in both. PyTorch has dropout, Dropout2d, AlphaDropout and,
 * with torchvision, DropBlock; Gaussian dropout, Uout and DropConnect are dropgrad's alone (their
 * PyTorch rows say so).
 *
 * The table gives each row's median; the summary, each technique's step against the plain step of
 * the same library (the cost of the technique, as a ratio of examples/s: 0.9× is a step 11% longer)
 * and dropgrad's step against PyTorch's with the same technique.
 */
import { parseArgs } from 'node:util';
import { machine } from './harness';
import { type SystemOrUnavailable, parseRounds } from './interleave';
import { type Comparison, runBenchmark } from './report';
import { randomBatch } from './small-cnn/batch';
import { wasmConfiguration } from './small-cnn/dropgrad-configurations';
import { pytorchSystem } from './small-cnn/pytorch';
import { dropgradSystem } from './train-step/dropgrad';
import type { SmallCnnRegularizers } from '../nn/models/small-cnn';

const seed = 11;
const defaultRounds = 7;

/** The techniques, with dropgrad's settings; `pytorch` is the peer script's name for the same layer, if it has one. */
const techniques: ReadonlyArray<{ name: string; settings: SmallCnnRegularizers; pytorch?: string }> = [
  { name: 'none', settings: {}, pytorch: 'none' },
  { name: 'dropout', settings: { dropout: 0.5 }, pytorch: 'dropout' },
  { name: 'alpha-dropout', settings: { alphaDropout: 0.1 }, pytorch: 'alpha-dropout' },
  { name: 'gaussian', settings: { gaussianDropout: 0.5 } },
  { name: 'uout', settings: { uout: 0.2 } },
  { name: 'dropconnect', settings: { dropConnect: 0.5 } },
  { name: 'dropout-conv', settings: { dropoutConv: 0.1 }, pytorch: 'dropout-conv' },
  { name: 'dropout2d', settings: { dropout2d: 0.1 }, pytorch: 'dropout2d' },
  { name: 'dropblock', settings: { dropBlock: { p: 0.1, blockSize: 5 } }, pytorch: 'dropblock' },
];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string' }, json: { type: 'boolean' } } });
  const rounds = parseRounds(values.rounds, defaultRounds);
  const batch = randomBatch(seed, 64);
  const wasm = wasmConfiguration(1);
  const rows: Array<{ name: string; ours: SystemOrUnavailable; peer: SystemOrUnavailable }> = [];
  for (const { name, settings, pytorch } of techniques) {
    const ours = dropgradSystem(wasm, batch, seed, { name, settings });
    const peer =
      pytorch === undefined
        ? { name: `PyTorch (1 thread, ${name})`, batch: 64, unavailable: 'PyTorch has no such layer' }
        : await pytorchSystem('train', batch, 1, 3, [], pytorch);
    rows.push({ name, ours, peer });
  }
  const [plain] = rows;
  const comparisons: Comparison[] = rows.flatMap(({ name, ours, peer }) => [
    ...(name === 'none' ? [] : [{ workload: `${name}: its step / the plain step`, ours, peer: plain.ours }]),
    ...(name === 'none' ? [] : [{ workload: `${name}: PyTorch's step / its plain step`, ours: peer, peer: plain.peer }]),
    { workload: `${name}: dropgrad / PyTorch`, ours, peer },
  ]);
  await runBenchmark({
    title: `the cost of each drop technique: models.smallCnn with it, batch 64, 1×28×28 images, float32, Adam lr 1e-3, 1 thread; median over ${rounds} interleaved rounds — ${machine()}`,
    systems: rows.flatMap(({ ours, peer }) => [ours, peer]),
    comparisons,
    rounds,
    valueHeader: 'last loss',
    columns: ['row', 'against', 'row examples/s', 'against examples/s'],
    json: values.json ?? false,
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
