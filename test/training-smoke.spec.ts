import { expect } from 'chai';
import { crossEntropy, manualSeed, type nn, optim, randn, tensor, type Tensor } from '../index';
import { smallCnn, type SmallCnnRegularizers } from '../nn/models/small-cnn';
import { resnet } from '../nn/models/resnet';
import { cutout } from '../nn/drop/cutout';
import { randomErasing } from '../nn/drop/random-erasing';

/** A fixed batch of 16 random 8×8 "images" with labels that depend on them (learnable). */
function fixedBatch(): { x: Tensor; y: Tensor } {
  manualSeed(100);
  const x = randn([16, 1, 8, 8]);
  const data = x.data;
  const labels = Array.from({ length: 16 }, (_, i) =>
    Array.from(data.subarray(i * 64, i * 64 + 32)).reduce((a, b) => a + b, 0) > 0 ? 1 : 0,
  );
  return { x, y: tensor(labels) };
}

/** Trains for `steps` Adam steps and returns the loss trajectory. */
function train(model: nn.Module, steps: number, transform: (x: Tensor) => Tensor = (x) => x, seed = 0): number[] {
  const { x, y } = fixedBatch();
  manualSeed(seed);
  const opt = new optim.Adam(model.parameters(), { lr: 0.01 });
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    const loss = crossEntropy(model.forward(transform(x)), y);
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  return losses;
}

const cnn = (regularizers: SmallCnnRegularizers): nn.Module => {
  manualSeed(1);
  return smallCnn({ channels: [4, 8], hidden: 16, imageSize: 8, numClasses: 2, regularizers });
};

const variants: Array<[string, () => nn.Module, ((x: Tensor) => Tensor)?]> = [
  ['no regularizer', () => cnn({})],
  ['dropout', () => cnn({ dropout: 0.3 })],
  ['dropout2d', () => cnn({ dropout2d: 0.1 })],
  ['gaussian dropout', () => cnn({ gaussianDropout: 0.2 })],
  ['uout', () => cnn({ uout: 0.2 })],
  ['alpha dropout', () => cnn({ alphaDropout: 0.1 })],
  ['dropconnect', () => cnn({ dropConnect: 0.3 })],
  ['dropblock', () => cnn({ dropBlock: { p: 0.1, blockSize: 2 } })],
  ['cutout', () => cnn({}), (x) => cutout(x, 3)],
  ['random erasing', () => cnn({}), (x) => randomErasing(x, 0.5)],
  [
    'stochastic depth resnet',
    () => {
      manualSeed(1);
      return resnet({ layers: [1, 1], widths: [4, 8], numClasses: 2, stochasticDepth: { pL: 0.5 } });
    },
  ],
];

describe('training smoke test: every technique drives the loss down on a fixed batch', () => {
  for (const [name, build, transform] of variants) {
    it(name, () => {
      const losses = train(build(), 30, transform);
      const first = losses.slice(0, 3).reduce((a, b) => a + b) / 3;
      const last = losses.slice(-3).reduce((a, b) => a + b) / 3;
      expect(last, `losses ${losses.map((l) => l.toFixed(3)).join(' ')}`).to.be.below(first * 0.7);
    });
  }

  it('is reproducible: same seed → same masks → same loss trajectory', () => {
    const run = (): number[] => train(cnn({ dropout: 0.3, dropBlock: { p: 0.2, blockSize: 2 } }), 5, (x) => cutout(x, 3), 7);
    const a = run();
    expect(run()).to.deep.equal(a);
    expect(train(cnn({ dropout: 0.3, dropBlock: { p: 0.2, blockSize: 2 } }), 5, (x) => cutout(x, 3), 8)).to.not.deep.equal(a);
  });
});
