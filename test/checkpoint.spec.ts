import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Generator, nn, optim, tensor } from '../index';
import { loadCheckpoint, readCheckpointConfig, saveCheckpoint } from '../app/serialization/checkpoint';
import { readSafetensors, save } from '../app/serialization/safetensors-file';
import { useTempDir } from './helpers/data-files';

/** A trained-a-little model and Adam with moments, so a checkpoint has every field filled in. */
function trainedPair(seed: number): { model: nn.Linear; optimizer: optim.Adam } {
  const model = new nn.Linear(3, 2);
  for (const p of model.parameters()) p.data.fill(seed);
  const optimizer = new optim.Adam(model.parameters(), { lr: 0.01 });
  model
    .forward(tensor([[1, 2, 3]]))
    .sum()
    .backward();
  optimizer.step();
  return { model, optimizer };
}

describe('checkpoints', () => {
  const tempDir = useTempDir();

  /** A valid checkpoint, then the same file with `changes` made to its metadata. */
  function checkpointWith(changes: Record<string, string>): string {
    const path = join(tempDir(), 'ckpt.safetensors');
    const { model, optimizer } = trainedPair(0.5);
    saveCheckpoint(path, {
      model,
      optimizer,
      epoch: 2,
      shuffleState: new Generator(7).getState(),
      maskState: new Generator(8).getState(),
      config: { model: 'small-cnn', dropout: '0.5', help: false },
    });
    const { tensors, metadata } = readSafetensors(path);
    save(tensors, path, { metadata: { ...metadata, ...changes } });
    return path;
  }

  it('round-trips epoch, generator states (no spare normal stored as null), config and optimizer', () => {
    const path = checkpointWith({});
    const { model, optimizer } = trainedPair(0);
    const loaded = loadCheckpoint(path, model, optimizer);
    expect(loaded.epoch).to.equal(2);
    expect(new Generator().setState(loaded.shuffleState).random()).to.equal(new Generator(7).random());
    expect(new Generator().setState(loaded.maskState!).random()).to.equal(new Generator(8).random());
    expect(loaded.config).to.deep.equal({ model: 'small-cnn', dropout: '0.5', help: false });
    expect(optimizer.stepCount).to.equal(1);
    expect(readCheckpointConfig(path)).to.deep.equal(loaded.config);
  });

  const refusals: Array<[string, Record<string, string>, RegExp]> = [
    ['epoch "1e300"', { epoch: '1e300' }, /invalid "epoch".*integer ≥ 0 in decimal digits, got "1e300"/],
    ['epoch ""', { epoch: '' }, /invalid "epoch".*got ""/],
    ['epoch "-1"', { epoch: '-1' }, /invalid "epoch"/],
    ['epoch " 3"', { epoch: ' 3' }, /invalid "epoch"/],
    ['epoch beyond 2^53', { epoch: '9007199254740993' }, /invalid "epoch"/],
    ['optimizer null', { optimizer: 'null' }, /invalid "optimizer".*expected an optimizer state object.*got null/],
    ['config null', { config: 'null' }, /invalid "config".*expected an object of flag values.*got null/],
    ['config with a number', { config: '{"lr":5}' }, /invalid "config"/],
    ['optimizer that is not JSON', { optimizer: '{' }, /invalid "optimizer".*expected JSON/],
    [
      'lr "abc"',
      { optimizer: '{"step":1,"lr":"abc","buffers":{}}' },
      /invalid "optimizer".*Adam.loadStateDict: lr must be a finite number ≥ 0, got "abc"/,
    ],
    ['step -5', { optimizer: '{"step":-5,"lr":0.1,"buffers":{}}' }, /step must be an integer ≥ 0, got -5/],
    ['step 1.5', { optimizer: '{"step":1.5,"lr":0.1,"buffers":{}}' }, /step must be an integer ≥ 0, got 1.5/],
    [
      'buffer "abc"',
      { optimizer: '{"step":1,"lr":0.1,"buffers":{"exp_avg":"abc"}}' },
      /buffer exp_avg must be a list of 2 arrays, one per parameter, got "abc"/,
    ],
    ['buffers "abc"', { optimizer: '{"step":1,"lr":0.1,"buffers":"abc"}' }, /buffers must be an object/],
    [
      'a buffer holding a string',
      { optimizer: '{"step":1,"lr":0.1,"buffers":{"exp_avg":[[1,2,3,4,5,"x"],[1,2]]}}' },
      /buffer exp_avg\[0\]\[5\] must be a finite number, got "x"/,
    ],
    [
      'an unknown buffer name',
      { optimizer: '{"step":1,"lr":0.1,"buffers":{"momentum":[[1,2,3,4,5,6],[1,2]]}}' },
      /a buffer name must be one of exp_avg, exp_avg_sq, got "momentum"/,
    ],
    ['shuffle [0,0,0,0,0,null]', { shuffle: '[0,0,0,0,0,null]' }, /invalid "shuffle".*not all 0/],
    ['shuffle with 5 numbers', { shuffle: '[1,2,3,4,5]' }, /invalid "shuffle"/],
    ['shuffle with a fraction', { shuffle: '[1.5,2,3,4,5,null]' }, /invalid "shuffle"/],
    ['shuffle beyond 32 bits', { shuffle: '[4294967296,2,3,4,5,null]' }, /invalid "shuffle"/],
    ['shuffle with a string seed', { shuffle: '[1,2,3,4,"5",null]' }, /invalid "shuffle"/],
    ['masks [0,0,0,0,0,null]', { masks: '[0,0,0,0,0,null]' }, /invalid "masks".*not all 0/],
    ['masks that is not JSON', { masks: '[1,' }, /invalid "masks".*expected JSON/],
  ];
  for (const [what, changes, message] of refusals) {
    it(`refuses ${what} with a named error, before changing the model or the optimizer`, () => {
      const path = checkpointWith(changes);
      const { model, optimizer } = trainedPair(0);
      const before = { weights: Array.from(model.weight.data), optimizer: JSON.stringify(optimizer.stateDict()) };
      expect(() => loadCheckpoint(path, model, optimizer)).to.throw(message);
      expect(Array.from(model.weight.data)).to.deep.equal(before.weights);
      expect(JSON.stringify(optimizer.stateDict())).to.equal(before.optimizer);
    });
  }

  it("loads a checkpoint from before the masks' generator was stored (maskState null); refuses one with non-finite weights, naming the tensor", () => {
    const path = checkpointWith({});
    const { tensors, metadata } = readSafetensors(path);
    const { masks: _, ...withoutMasks } = metadata;
    save(tensors, path, { metadata: withoutMasks });
    const { model, optimizer } = trainedPair(0);
    expect(loadCheckpoint(path, model, optimizer).maskState).to.equal(null);
    tensors.weight.data[4] = Infinity;
    save(tensors, path, { metadata });
    const before = Array.from(model.weight.data);
    expect(() => loadCheckpoint(path, model, optimizer)).to.throw(
      `loadCheckpoint: ${path} holds non-finite weights (weight is Infinity at index 4)`,
    );
    expect(Array.from(model.weight.data)).to.deep.equal(before);
  });

  it('optimizers check a whole state before changing: SGD refuses Adam buffers and bad numbers', () => {
    const model = new nn.Linear(2, 1);
    const sgd = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    const state = sgd.stateDict();
    expect(() => sgd.loadStateDict({ step: 3, lr: 0.5, buffers: { exp_avg: [[0, 0], [0]] } })).to.throw(
      TypeError,
      'a buffer name must be one of momentum, got "exp_avg"',
    );
    expect(() => sgd.loadStateDict({ step: 3, lr: Infinity, buffers: {} })).to.throw('lr must be a finite number ≥ 0, got Infinity');
    expect(() => sgd.loadStateDict(null as never)).to.throw('the state must be an object { step, lr, buffers } from stateDict(), got null');
    expect(sgd.stateDict()).to.deep.equal(state);
  });

  it('saveCheckpoint refuses to write what loadCheckpoint would refuse (a run could not be resumed from it), before writing', () => {
    const path = join(tempDir(), 'ckpt.safetensors');
    const { model, optimizer } = trainedPair(0.5);
    const good = {
      model,
      optimizer,
      epoch: 1,
      shuffleState: new Generator(1).getState(),
      maskState: new Generator(2).getState(),
      config: { model: 'small-cnn' },
    };
    const bad: Array<[Partial<typeof good>, string]> = [
      [{ epoch: -1 }, 'saveCheckpoint: epoch must be the number of completed epochs, an integer ≥ 0, got -1'],
      [{ epoch: NaN }, 'saveCheckpoint: epoch must be the number of completed epochs, an integer ≥ 0, got NaN'],
      [{ shuffleState: [0, 0, 0, 0, 0, NaN] }, 'saveCheckpoint: shuffleState must be a generator state'],
      [{ maskState: [1, 2, 3] }, 'saveCheckpoint: maskState must be a generator state'],
      [
        { config: { lr: 5 } as unknown as typeof good.config },
        'saveCheckpoint: config must be an object of flag values (strings or booleans), got {"lr":5}',
      ],
    ];
    for (const [change, message] of bad) {
      expect(() => saveCheckpoint(path, { ...good, ...change }), message).to.throw(RangeError, message);
      expect(readdirSync(tempDir())).to.deep.equal([]);
    }
    saveCheckpoint(path, good);
    expect(loadCheckpoint(path, model, optimizer).epoch).to.equal(1);
  });
});
