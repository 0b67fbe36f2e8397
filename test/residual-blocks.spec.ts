import { expect } from 'chai';
import { Generator, gradcheck, manualSeed, randn, type Tensor, withBackend } from '../index';
import { BasicBlock } from '../nn/models/basic-block';
import { Bottleneck } from '../nn/models/bottleneck';
import { add, mul } from '../lib/ops/arithmetic';
import { relu } from '../lib/ops/activations';

type Block = BasicBlock | Bottleneck;

/** Counts how often the block's residual branch runs. */
function countBranchCalls(block: Block): { calls: number } {
  const counter = { calls: 0 };
  const original = block.branch.bind(block);
  block.branch = (x: Tensor) => {
    counter.calls++;
    return original(x);
  };
  return counter;
}

/** A training forward in which the (batch-mode) branch survived. */
function firstSurvivingForward(block: Block, x: Tensor): Tensor {
  for (let i = 0; i < 50; i++) {
    const y = block.forward(x);
    if (!block.depth.lastDropped) return y;
  }
  throw new Error('the branch never survived in 50 draws');
}

const builders: Array<[string, (sd?: ConstructorParameters<typeof BasicBlock>[2]) => Block, number[]]> = [
  ['BasicBlock', (o) => new BasicBlock(2, 2, o), [2, 2, 4, 4]],
  ['Bottleneck', (o) => new Bottleneck(8, 2, o), [2, 8, 3, 3]],
];

describe('ResNet blocks with stochastic depth', () => {
  beforeEach(() => manualSeed(12));

  it('project the shortcut only when shape or stride changes', () => {
    expect(new BasicBlock(4, 4).downsample).to.equal(null);
    expect(new BasicBlock(4, 8).downsample).to.not.equal(null);
    expect(new BasicBlock(4, 4, { stride: 2 }).downsample).to.not.equal(null);
    expect(new Bottleneck(16, 4).downsample).to.equal(null);
    expect(new Bottleneck(8, 4).downsample).to.not.equal(null);
    expect(new BasicBlock(4, 8, { stride: 2 }).forward(randn([1, 4, 6, 6])).shape).to.deep.equal([1, 8, 3, 3]);
    expect(Object.keys(new BasicBlock(2, 4).stateDict())).to.include.members([
      'conv1.weight',
      'bn1.running_mean',
      'downsample.conv.weight',
      'downsample.bn.num_batches_tracked',
    ]);
  });

  for (const [name, build, shape] of builders) {
    describe(name, () => {
      it('batch mode: a dropped block skips its branch entirely (no forward, no gradient)', () => {
        const block = build({ stochasticDepth: { survivalProb: 0.5, mode: 'batch', generator: new Generator(1) } });
        const counter = countBranchCalls(block);
        let dropped = 0;
        for (let i = 0; i < 40; i++) {
          block.zeroGrad();
          const x = randn(shape, { requiresGrad: true });
          const y = block.forward(x);
          y.sum().backward();
          if (block.depth.lastDropped) {
            dropped++;
            expect(Array.from(y.data)).to.deep.equal(Array.from(relu(x).data));
            expect(block.conv1.weight.grad).to.equal(null);
          } else {
            expect(block.conv1.weight.grad).to.not.equal(null);
          }
        }
        expect(dropped).to.be.within(8, 32);
        expect(counter.calls).to.equal(40 - dropped);
      });

      it('paper convention: no scaling in training, branch scaled by p_l at test', () => {
        const block = build({ stochasticDepth: { survivalProb: 0.7, convention: 'paper', generator: new Generator(3) } });
        const x = randn(shape);
        const identity = block.downsample ? block.downsample.forward(x) : x;
        block.eval();
        const branch = block.branch(x);
        expect(Array.from(block.forward(x).data)).to.deep.equal(Array.from(relu(add(mul(branch, 0.7), identity)).data));
        block.train();
        const y = firstSurvivingForward(block, x);
        // In training BN uses batch statistics, so the branch recomputed now gives the same numbers.
        expect(Array.from(y.data)).to.deep.equal(Array.from(relu(add(block.branch(x), identity)).data));
      });

      it('inverted convention: survivors are divided by p_l in training, eval is the plain block', () => {
        const block = build({ stochasticDepth: { survivalProb: 0.8, generator: new Generator(4) } });
        const x = randn(shape);
        const identity = block.downsample ? block.downsample.forward(x) : x;
        const y = firstSurvivingForward(block, x);
        const expected = relu(add(mul(block.branch(x), 1 / 0.8), identity)).data;
        Array.from(y.data).forEach((v, i) => {
          expect(v).to.be.closeTo(expected[i], 1e-12);
        });
        block.eval();
        expect(Array.from(block.forward(x).data)).to.deep.equal(Array.from(relu(add(block.branch(x), identity)).data));
      });

      it('gradcheck w.r.t. input and a conv weight, with the branch active and dropped, in both modes', () => {
        withBackend('reference', () => {
          for (const mode of ['batch', 'row'] as const) {
            for (const seed of [0, 1, 2, 3]) {
              const block = build({ stochasticDepth: { survivalProb: 0.5, mode, generator: new Generator(0) } });
              const x = randn(shape, { requiresGrad: true });
              gradcheck(
                (t: Tensor) => {
                  block.depth.generator.manualSeed(seed);
                  return block.forward(t);
                },
                [x, block.conv1.weight],
                { fastMode: true },
              );
            }
          }
        });
      });
    });
  }

  it('gradcheck (full Jacobian) of a BasicBlock whose branch survives and one that is dropped', () => {
    withBackend('reference', () => {
      const outcomes = new Set<boolean>();
      for (const seed of [0, 1, 2, 3, 4, 5]) {
        const block = new BasicBlock(1, 1, { stochasticDepth: { survivalProb: 0.5, generator: new Generator(0) } });
        const x = randn([2, 1, 3, 3], { requiresGrad: true });
        gradcheck(
          (t: Tensor) => {
            block.depth.generator.manualSeed(seed);
            return block.forward(t);
          },
          [x, block.conv2.weight],
        );
        outcomes.add(block.depth.lastDropped);
      }
      expect([...outcomes].sort()).to.deep.equal([false, true]);
    });
  });
});
