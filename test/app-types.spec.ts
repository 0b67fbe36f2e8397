import { expect } from 'chai';
// Type-only imports: `npm test` type-checks this file, so a type missing from the root fails it.
import type {
  Batches,
  CheckpointConfig,
  CheckpointContents,
  EpochResult,
  Evaluation,
  LoadFashionMnistOptions,
  LoadMnistOptions,
  LoadedCheckpoint,
  MnistSplit,
  SaveOptions,
  SuiteCheck,
  SuiteResult,
  TrainEpochOptions,
  TrainProgress,
} from '../index';
import { Generator, evaluate, inspectCheckpoint, nn, optim, saveCheckpoint, tensor, trainEpoch } from '../index';
import { join } from 'node:path';
import { useTempDir } from './helpers/data-files';

describe('the option and result types of the application functions, from the package root', () => {
  const tempDir = useTempDir();

  it('type the calls an embedder writes: trainEpoch, evaluate, saveCheckpoint', async () => {
    const model = new nn.Sequential(new nn.Linear(2, 2));
    const batches: Batches = Object.assign(
      [
        {
          x: tensor([
            [1, 0],
            [0, 1],
          ]),
          y: tensor([0, 1]),
        },
      ],
      { length: 1 },
    );
    const steps: TrainProgress[] = [];
    const options: TrainEpochOptions = { onStep: (p) => steps.push(p) };
    const result: EpochResult = await trainEpoch(model, batches, new optim.SGD(model.parameters(), { lr: 0.1 }), options);
    const evaluation: Evaluation = evaluate(model, batches, 2);
    const config: CheckpointConfig = { model: 'custom', verbose: true };
    const contents: CheckpointContents = {
      model,
      optimizer: new optim.Adam(model.parameters()),
      epoch: 1,
      shuffleState: new Generator(3).getState(),
      maskState: new Generator(4).getState(),
      config,
    };
    const path = join(tempDir(), 'c.safetensors');
    saveCheckpoint(path, contents);
    const loaded: LoadedCheckpoint = inspectCheckpoint(path);
    const save: SaveOptions = { metadata: { note: 'x' } };
    const mnist: LoadMnistOptions & { split?: MnistSplit } = { dir: tempDir(), split: 'test' };
    const fashion: LoadFashionMnistOptions = { dir: tempDir(), classNames: ['shoe', 'bag'] };
    const suite: Array<SuiteCheck | SuiteResult> = [];
    expect([
      result.completed,
      steps.length,
      evaluation.examples,
      loaded.epoch,
      loaded.config,
      save.metadata?.note,
      mnist.split,
      fashion.classNames,
      suite.length,
    ]).to.deep.equal([true, 1, 2, 1, config, 'x', 'test', ['shoe', 'bag'], 0]);
  });
});
