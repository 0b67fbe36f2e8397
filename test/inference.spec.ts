/**
 * The inference path (nn/inference): a Sequential run under noGrad folds each eval-mode
 * BatchNorm2d into the Conv2d before it and fuses the ReLU after into the conv. It must be
 * invisible: the same outputs as the plain eval forward (gradients on) to the dtype's rounding,
 * on every backend and thread count, and new values as soon as a parameter or statistic changes.
 */
import { expect } from 'chai';
import { F, Generator, type Tensor, mul, nn, noGrad, optim, randn, setNumThreads, tensor, withBackend } from '../index';
import { models } from '../browser';
import type { BackendName, DType } from '../index';
import { conv2dInference } from '../lib/ops/conv2d-inference';
import { conv2dGeometry } from '../kernels/conv2d';
import { foldOf } from '../nn/inference/sequential-inference';
import { relativeError } from './helpers/close';

const tolerance: Record<DType, number> = { float32: 1e-5, float64: 1e-12 };

/** The model's eval output the plain way (gradients on: no fold, no fusion) and the inference way. */
function bothWays(model: nn.Module, x: Tensor): { plain: Tensor; inferred: Tensor } {
  const plain = model.forward(x);
  expect(plain.gradFn, 'the plain eval forward records a graph').to.not.equal(null);
  const inferred = noGrad(() => model.forward(x));
  expect(inferred.gradFn).to.equal(null);
  return { plain, inferred };
}

function expectSame(model: nn.Module, x: Tensor, what: string): Tensor {
  const { plain, inferred } = bothWays(model, x);
  expect(inferred.shape).to.deep.equal(plain.shape);
  expect(relativeError(inferred.data, plain.data), what).to.be.below(tolerance[x.dtype]);
  return inferred;
}

/** One SGD step in training mode: every weight moves, and the running statistics too. */
function trainStep(model: nn.Module, dtype: DType, rng: Generator): void {
  model.train();
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
  const loss = F.crossEntropy(model.forward(randn([6, 1, 12, 12], { dtype, generator: rng })), tensor([0, 1, 2, 3, 4, 5]));
  optimizer.zeroGrad();
  loss.backward();
  optimizer.step();
  model.eval();
}

const smallModel = (dtype: DType, rng: Generator): nn.Sequential =>
  models.smallCnn({ dtype, generator: rng, imageSize: 12, channels: [5, 7], hidden: 9, numClasses: 6 });

const runs: Array<{ name: string; backend: BackendName; threads?: number }> = [
  { name: 'reference', backend: 'reference' },
  { name: 'js', backend: 'js' },
  { name: 'wasm, 1 thread', backend: 'wasm', threads: 1 },
  { name: 'wasm, 2 threads', backend: 'wasm', threads: 2 },
];

describe('inference path: Sequential under noGrad', () => {
  after(() => setNumThreads(2));

  for (const { name, backend, threads } of runs) {
    for (const dtype of ['float32', 'float64'] as const) {
      it(`smallCnn in eval gives the plain eval forward's outputs, batch 1, 5 and 0 (${name}, ${dtype})`, () => {
        if (threads !== undefined) setNumThreads(threads);
        withBackend(backend, () => {
          const rng = new Generator(3);
          const model = smallModel(dtype, rng);
          trainStep(model, dtype, rng); // statistics and γ, β away from their initial 0, 1
          for (const batch of [1, 5, 0]) expectSame(model, randn([batch, 1, 12, 12], { dtype, generator: rng }), `batch ${batch}`);
        });
      });
    }
  }

  it('sees a training step, loadStateDict and resetRunningStats at once (version counters), and refolds only then', () => {
    const rng = new Generator(4);
    const model = smallModel('float32', rng);
    model.eval();
    const x = randn([2, 1, 12, 12], { dtype: 'float32', generator: rng });
    const conv = model.at(0) as nn.Conv2d;
    const bn = model.at(1) as nn.BatchNorm2d;
    const before = expectSame(model, x, 'fresh model');
    const folded = foldOf(conv, bn).weightsIn('float32');
    const version = folded?.weight._version;
    noGrad(() => model.forward(x));
    expect(foldOf(conv, bn).weightsIn('float32')?.weight._version, 'no refold without a change').to.equal(version);

    const saved = model.stateDict();
    trainStep(model, 'float32', rng);
    const trained = expectSame(model, x, 'after a training step');
    expect(relativeError(trained.data, before.data)).to.be.above(1e-3);

    model.loadStateDict(saved);
    expect(Array.from(expectSame(model, x, 'after loadStateDict').data)).to.deep.equal(Array.from(before.data));

    bn.runningVar?.storage.fill(4);
    expectSame(model, x, 'after a write through storage');
    bn.resetRunningStats();
    expectSame(model, x, 'after resetRunningStats');
    conv.weight = new nn.Parameter(randn(conv.weight.shape, { dtype: 'float32', generator: rng }));
    expectSame(model, x, 'after replacing the conv weight');
  });

  it('keeps eval differentiable with gradients on, and leaves a training-mode batch norm alone (batch statistics, running stats updated)', () => {
    const rng = new Generator(5);
    const model = smallModel('float64', rng).eval();
    const x = randn([2, 1, 12, 12], { generator: rng }).requiresGrad_();
    model.forward(x).sum().backward();
    expect(x.grad?.shape).to.deep.equal([2, 1, 12, 12]);

    const twin = smallModel('float64', new Generator(5));
    twin.loadStateDict(model.stateDict());
    model.train();
    twin.train();
    const y = randn([4, 1, 12, 12], { generator: rng });
    const trainingNoGrad = noGrad(() => model.forward(y));
    expect(relativeError(trainingNoGrad.data, twin.forward(y).data)).to.be.below(1e-12);
    const bn = model.at(1) as nn.BatchNorm2d;
    expect(Array.from(bn.runningMean?.data ?? [])).to.deep.equal(Array.from((twin.at(1) as nn.BatchNorm2d).runningMean?.data ?? []));
  });

  it('folds a conv with a bias, a batch norm without affine, fuses a ReLU after a conv alone, and runs a conv whose forward is overridden as written', () => {
    const rng = new Generator(6);
    class Doubled extends nn.Conv2d {
      override forward(x: Tensor): Tensor {
        return mul(super.forward(x), 2);
      }
    }
    const model = new nn.Sequential(
      new nn.Conv2d(3, 4, 3, { padding: 1, stride: 2, generator: rng }),
      new nn.BatchNorm2d(4, { affine: false }),
      new nn.ReLU(),
      new nn.Conv2d(4, 6, 3, { groups: 2, generator: rng }),
      new nn.ReLU(),
      new Doubled(6, 5, 1, { generator: rng }),
      new nn.BatchNorm2d(5),
      new nn.ReLU(),
      new nn.MaxPool2d(2),
    );
    model.train();
    model.forward(randn([3, 3, 11, 9], { generator: rng }));
    model.eval();
    expectSame(model, randn([2, 3, 11, 9], { generator: rng }), 'mixed model');
  });

  it('fuses MaxPool2d(2) on odd maps with or without a ReLU, runs other pools (3×3, ceil mode) as written, and fails as the plain path on a map too small to pool', () => {
    const rng = new Generator(8);
    const conv = (inC: number, outC: number): nn.Conv2d => new nn.Conv2d(inC, outC, 3, { padding: 1, generator: rng });
    const model = new nn.Sequential(
      conv(2, 4),
      new nn.MaxPool2d(2), // 9×7 → 4×3, no relu
      conv(4, 5),
      new nn.BatchNorm2d(5),
      new nn.ReLU(),
      new nn.MaxPool2d(2, { ceilMode: true }), // 4×3 → 2×2, as written
      conv(5, 3),
      new nn.ReLU(),
      new nn.MaxPool2d(3, { stride: 1, padding: 1 }),
    );
    model.train();
    model.forward(randn([3, 2, 9, 7], { generator: rng }));
    model.eval();
    expectSame(model, randn([2, 2, 9, 7], { generator: rng }), 'pools');
    const tooSmall = new nn.Sequential(new nn.Conv2d(1, 2, 3, { generator: rng }), new nn.ReLU(), new nn.MaxPool2d(2));
    const x = randn([1, 1, 3, 4], { generator: rng }); // conv output 1×2
    expect(() => tooSmall.forward(x)).to.throw(/too small/);
    expect(() => noGrad(() => tooSmall.forward(x))).to.throw(/too small/);
  });

  it('reuses its intermediate arrays across calls without touching what it returned (arrays large enough to be recycled)', () => {
    const rng = new Generator(10);
    const layer = { dtype: 'float32', generator: rng } as const;
    // The pooled first stage and the output are both 2·16·14·14 values, above allocate()'s 4096: the
    // first is recycled after the second conv reads it, and the next call's first conv gets it back.
    const model = new nn.Sequential(
      ...[
        new nn.Conv2d(1, 16, 3, { padding: 1, ...layer }),
        new nn.BatchNorm2d(16, { dtype: 'float32' }),
        new nn.ReLU(),
        new nn.MaxPool2d(2),
      ],
      ...[new nn.Conv2d(16, 16, 3, { padding: 1, ...layer }), new nn.BatchNorm2d(16, { dtype: 'float32' }), new nn.ReLU()],
    ).eval();
    const [x1, x2] = [
      randn([2, 1, 28, 28], { dtype: 'float32', generator: rng }),
      randn([2, 1, 28, 28], { dtype: 'float32', generator: rng }),
    ];
    const first = noGrad(() => model.forward(x1));
    const kept = Array.from(first.data);
    expectSame(model, x2, 'second input');
    const again = noGrad(() => model.forward(x1));
    expect(Array.from(first.data), 'the first output, untouched').to.deep.equal(kept);
    expect(Array.from(again.data), 'the same input again').to.deep.equal(kept);
  });

  it('leaves a batch norm that does not fold to the two-pass path: eps 0 and a zero running variance give what batchNorm gives', () => {
    const rng = new Generator(7);
    const bn = new nn.BatchNorm2d(2, { eps: 0 });
    const model = new nn.Sequential(new nn.Conv2d(1, 2, 3, { generator: rng }), bn).eval();
    bn.runningVar?.storage.set([0, 1]);
    const { plain, inferred } = bothWays(model, randn([1, 1, 5, 5], { generator: rng }));
    expect(Array.from(inferred.data)).to.deep.equal(Array.from(plain.data));
    expect(foldOf(model.at(0) as nn.Conv2d, bn).weightsIn('float64')).to.equal(null);
  });

  it('conv2dInference records nothing, so it refuses to run with gradients on', () => {
    const x = randn([1, 1, 4, 4]);
    const w = randn([2, 1, 3, 3]);
    const geo = conv2dGeometry(x.shape, w.shape, null, {});
    expect(() => conv2dInference(x, w, null, geo, { relu: true, maxPool2x2: false })).to.throw(/runs only inside noGrad/);
    expect(noGrad(() => conv2dInference(x, w, null, geo, { relu: true, maxPool2x2: false })).shape).to.deep.equal([1, 2, 2, 2]);
  });
});
