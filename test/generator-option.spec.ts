/**
 * One rule for every `generator` option, as PyTorch's generator=None: null and undefined both mean
 * the default generator, and anything else that is not a Generator is a TypeError naming the
 * function and the value (null crashed dropout mid-draw and was taken elsewhere).
 */
import { expect } from 'chai';
import { F, type Generator, type Tensor, bernoulli, manualSeed, nn, rand, randLike, randn, randnLike, uniform, zeros } from '../index';
import { BasicBlock } from '../nn/models/basic-block';

type Draw = (generator: Generator | null | undefined) => Tensor;

/** A layer's draw: its initial weights, or its training-mode output on a fixed input. */
const weightsOf = (m: nn.Module): Tensor => m.parameters()[0];
const forwardOf = (m: nn.Module, x: Tensor): Tensor => m.forward(x);

const image = (): Tensor => randn([2, 3, 8, 8]);

const cases: Record<string, Draw> = {
  rand: (generator) => rand([4], { generator }),
  randn: (generator) => randn([4], { generator }),
  uniform: (generator) => uniform([4], -1, 1, { generator }),
  bernoulli: (generator) => bernoulli([4], 0.5, { generator }),
  randLike: (generator) => randLike(zeros([4]), { generator }),
  randnLike: (generator) => randnLike(zeros([4]), { generator }),
  kaimingUniform_: (generator) => nn.init.kaimingUniform_(zeros([3, 4]), { generator }),
  uniform_: (generator) => nn.init.uniform_(zeros([4]), -1, 1, generator as Generator),
  dropout: (generator) => F.dropout(image(), 0.5, { generator }),
  dropout2d: (generator) => F.dropout2d(image(), 0.5, { generator }),
  gaussianDropout: (generator) => F.gaussianDropout(image(), 0.5, { generator }),
  alphaDropout: (generator) => F.alphaDropout(image(), 0.5, { generator }),
  uout: (generator) => F.uout(image(), 0.5, { generator }),
  dropBlock2d: (generator) => F.dropBlock2d(image(), 0.5, { blockSize: 3, generator }),
  dropPath: (generator) => F.dropPath(image(), 0.5, { generator }),
  cutout: (generator) => F.cutout(image(), 4, { generator }),
  randomErasing: (generator) => F.randomErasing(image(), 1, { generator }),
  Linear: (generator) => weightsOf(new nn.Linear(3, 4, { generator })),
  Conv2d: (generator) => weightsOf(new nn.Conv2d(3, 4, 3, { generator })),
  DropConnectLinear: (generator) => forwardOf(new nn.DropConnectLinear(8, 4, 0.5, { generator }), randn([2, 8])),
  Dropout: (generator) => forwardOf(new nn.Dropout(0.5, { generator }), image()),
  Dropout2d: (generator) => forwardOf(new nn.Dropout2d(0.5, { generator }), image()),
  GaussianDropout: (generator) => forwardOf(new nn.GaussianDropout(0.5, { generator }), image()),
  AlphaDropout: (generator) => forwardOf(new nn.AlphaDropout(0.5, { generator }), image()),
  Uout: (generator) => forwardOf(new nn.Uout(0.5, { generator }), image()),
  DropBlock2d: (generator) => forwardOf(new nn.DropBlock2d(0.5, { blockSize: 3, generator }), image()),
  DropPath: (generator) => forwardOf(new nn.DropPath(0.5, { generator }), image()),
  Cutout: (generator) => forwardOf(new nn.Cutout(4, { generator }), image()),
  RandomErasing: (generator) => forwardOf(new nn.RandomErasing(1, { generator }), image()),
  'stochastic depth': (generator) => {
    const block = new BasicBlock(3, 3, { stochasticDepth: { survivalProb: 0.5, mode: 'row', generator } });
    return block.forward(image());
  },
};

describe('generator options: null or undefined is the default generator, anything else not a Generator is refused', () => {
  for (const [name, draw] of Object.entries(cases)) {
    it(name, () => {
      manualSeed(11);
      const byDefault = Array.from(draw(undefined).data);
      manualSeed(11);
      expect(Array.from(draw(null).data), 'null draws from the default generator').to.deep.equal(byDefault);
      for (const [bad, shown] of [
        ['seed', '"seed"'],
        [{}, '{}'],
        [42, '42'],
      ] as const) {
        const where = name.replace(/Like$/, ''); // randLike(t) is rand(t.shape, …)
        expect(() => draw(bad as never), shown).to.throw(TypeError, `${where}: generator must be a Generator, got ${shown}`);
      }
    });
  }
});
