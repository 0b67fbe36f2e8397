/**
 * Second derivatives of every op whose backward is written in differentiable ops (or is an op of
 * its own), checked by gradgradcheck in float64 with PyTorch's tolerances; the drop techniques
 * with their masks replayed (seed), as their first-order gradchecks do. The kernel-backed ops
 * (conv2d, pooling, batch norm) refuse createGraph by name until their backward is made of ops.
 */
import chai, { expect } from 'chai';
import {
  F,
  type Tensor,
  abs,
  add,
  chaiGradcheck,
  clamp,
  concat,
  contiguous,
  div,
  exp,
  expand,
  gather,
  grad,
  indexSelect,
  log,
  manualSeed,
  matmul,
  max,
  mean,
  min,
  mul,
  neg,
  nn,
  permute,
  pow,
  rand,
  randn,
  reshape,
  select,
  slice,
  sqrt,
  stack,
  sub,
  sum,
  tensor,
  variance,
  where,
} from '../index';

chai.use(chaiGradcheck);

const leaf = (shape: number[]) => randn(shape, { requiresGrad: true });
/** Values in [0.5, 1.5): away from log's and sqrt's singularity and from relu's and abs's kink. */
const positive = (shape: number[]) => add(rand(shape), 0.5).detach().requiresGrad_();

describe('gradgradcheck of the ops (createGraph through every backward)', () => {
  beforeEach(() => manualSeed(21));

  it('arithmetic, with broadcasting and number operands', () => {
    expect((a: Tensor, b: Tensor) => add(mul(a, b), sub(a, b))).to.passGradgradcheck([leaf([2, 3]), leaf([3])]);
    expect((a: Tensor, b: Tensor) => div(a, b)).to.passGradgradcheck([leaf([2, 3]), positive([2, 1])]);
    expect((a: Tensor) => neg(mul(a, 3))).to.passGradgradcheck([leaf([4])]);
    expect((a: Tensor, b: Tensor) => pow(a, b)).to.passGradgradcheck([positive([3]), leaf([3])]);
    expect((a: Tensor) => pow(a, 3)).to.passGradgradcheck([leaf([2, 2])]);
  });

  it('unary functions', () => {
    expect((x: Tensor) => exp(x)).to.passGradgradcheck([leaf([3])]);
    expect((x: Tensor) => log(x)).to.passGradgradcheck([positive([3])]);
    expect((x: Tensor) => sqrt(x)).to.passGradgradcheck([positive([3])]);
    expect((x: Tensor) => mul(abs(x), x)).to.passGradgradcheck([positive([3])]);
    expect((x: Tensor) => mul(clamp(x, { min: 0.8, max: 1.2 }), x)).to.passGradgradcheck([positive([6])]);
  });

  it('activations', () => {
    const x = positive([6]).detach();
    const signed = sub(x, mul(tensor([1, 0, 1, 0, 1, 0]), 2))
      .detach()
      .requiresGrad_(); // half negative, none near 0
    expect((t: Tensor) => mul(F.relu(t), t)).to.passGradgradcheck([signed]);
    expect((t: Tensor) => mul(F.leakyRelu(t, 0.2), t)).to.passGradgradcheck([signed]);
    expect((t: Tensor) => F.sigmoid(t)).to.passGradgradcheck([leaf([5])]);
    expect((t: Tensor) => F.tanh(t)).to.passGradgradcheck([leaf([5])]);
  });

  it('reductions', () => {
    expect((x: Tensor) => mul(sum(x, 1, true), x)).to.passGradgradcheck([leaf([2, 3])]);
    expect((x: Tensor) => mul(mean(x), x)).to.passGradgradcheck([leaf([2, 3])]);
    expect((x: Tensor) => mul(max(x, 1), min(x, 1))).to.passGradgradcheck([leaf([2, 4])]);
    expect((x: Tensor) => variance(x, 1)).to.passGradgradcheck([leaf([2, 4])]);
    expect((x: Tensor) => variance(x, undefined, { correction: 0 })).to.passGradgradcheck([leaf([5])]);
  });

  it('views, indexing and joins', () => {
    expect((x: Tensor) => mul(reshape(permute(x, [1, 0]), [6]), contiguous(reshape(x, [6])))).to.passGradgradcheck([leaf([2, 3])]);
    expect((x: Tensor) => mul(expand(x, [2, 3]), expand(x, [2, 3]))).to.passGradgradcheck([leaf([1, 3])]);
    expect((x: Tensor) => mul(slice(x, 1, 0, 3, 2), slice(select(x, 0, 1).reshape([1, 4]).expand([3, 4]), 1, 0, 2))).to.passGradgradcheck([
      leaf([3, 4]),
    ]);
    expect((x: Tensor) =>
      mul(
        indexSelect(x, 0, [2, 0, 2]),
        gather(
          x,
          0,
          tensor([[1, 0, 2, 2]])
            .expand([3, 4])
            .contiguous(),
        ),
      ),
    ).to.passGradgradcheck([leaf([3, 4])]);
    expect((a: Tensor, b: Tensor) => mul(concat([a, b], 1), stack([b, a], 1).reshape([2, 6]))).to.passGradgradcheck([
      leaf([2, 3]),
      leaf([2, 3]),
    ]);
  });

  it('pad in every mode, and where', () => {
    for (const mode of ['constant', 'reflect', 'replicate', 'circular'] as const) {
      expect((x: Tensor) => mul(F.pad(x, [1, 2], { mode, value: 0.5 }), F.pad(x, [2, 1], { mode }))).to.passGradgradcheck([leaf([2, 3])]);
    }
    const condition = tensor([1, 0, 0, 1]);
    expect((a: Tensor, b: Tensor) => mul(where(condition, a, b), where(condition, b, 2))).to.passGradgradcheck([leaf([4]), leaf([1])]);
  });

  it('softmax and logSoftmax along any dim', () => {
    expect((x: Tensor) => F.softmax(x, 1)).to.passGradgradcheck([leaf([2, 4])]);
    expect((x: Tensor) => F.softmax(x, 0)).to.passGradgradcheck([leaf([3, 2])]);
    expect((x: Tensor) => F.logSoftmax(x, -1)).to.passGradgradcheck([leaf([2, 3])]);
  });

  it('losses: cross entropy (index and probability targets, weights, smoothing, ignoreIndex, reductions) and MSE', () => {
    const logits = leaf([3, 4]);
    const targets = tensor([1, 3, 0]);
    expect((x: Tensor) => F.crossEntropy(x, targets)).to.passGradgradcheck([logits]);
    const weight = tensor([0.5, 1, 2, 1.5]);
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      expect((x: Tensor) => F.crossEntropy(x, tensor([1, -100, 2]), { weight, labelSmoothing: 0.1, reduction })).to.passGradgradcheck([
        logits,
      ]);
    }
    const soft = F.softmax(randn([3, 4]), 1)
      .detach()
      .requiresGrad_();
    expect((x: Tensor, t: Tensor) => F.crossEntropy(x, t, { labelSmoothing: 0.2, weight })).to.passGradgradcheck([logits, soft]);
    expect((x: Tensor) =>
      F.crossEntropy(
        x,
        tensor([
          [1, 0],
          [2, 2],
        ]),
      ),
    ).to.passGradgradcheck([leaf([2, 3, 2])]);
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      expect((x: Tensor, t: Tensor) => F.mseLoss(x, t, { reduction })).to.passGradgradcheck([leaf([2, 3]), leaf([2, 3])]);
    }
  });

  it('matmul (1-D, 2-D, batched with broadcasting) and linear', () => {
    expect((a: Tensor, b: Tensor) => matmul(a, b)).to.passGradgradcheck([leaf([3]), leaf([3])]);
    expect((a: Tensor, b: Tensor) => matmul(a, b)).to.passGradgradcheck([leaf([2, 3]), leaf([3])]);
    expect((a: Tensor, b: Tensor) => matmul(a, b)).to.passGradgradcheck([leaf([2, 2, 3]), leaf([3, 2])]);
    expect((x: Tensor, w: Tensor, b: Tensor) => F.linear(x, w, b)).to.passGradgradcheck([leaf([2, 2, 3]), leaf([4, 3]), leaf([4])]);
    expect((x: Tensor, w: Tensor) => F.tanh(F.linear(F.tanh(F.linear(x, w)), w.transpose(0, 1)))).to.passGradgradcheck([
      leaf([2, 3]),
      leaf([3, 3]),
    ]);
  });

  it('the drop techniques, with their masks replayed', () => {
    const x = () => leaf([2, 3, 4, 4]);
    const seed = { seed: 4 };
    const twice = (f: (t: Tensor) => Tensor) => (t: Tensor) => mul(f(t), t); // a nonzero second derivative
    expect(twice((t) => F.dropout(t, 0.4))).to.passGradgradcheck([x()], seed);
    expect(twice((t) => F.dropout2d(t, 0.4))).to.passGradgradcheck([x()], seed);
    expect(twice((t) => F.gaussianDropout(t, 0.3))).to.passGradgradcheck([x()], seed);
    expect(twice((t) => F.uout(t, 0.2))).to.passGradgradcheck([x()], seed);
    expect(twice((t) => F.alphaDropout(t, 0.3))).to.passGradgradcheck([x()], seed);
    expect(twice((t) => F.dropBlock2d(t, 0.3, { blockSize: 2 }))).to.passGradgradcheck([x()], seed);
    expect(twice((t) => F.dropPath(t, 0.5))).to.passGradgradcheck([x()], seed);
    expect(twice((t) => F.cutout(t, 2))).to.passGradgradcheck([x()], seed);
    expect(twice((t) => F.randomErasing(t, 1, { value: 0.5 }))).to.passGradgradcheck([x()], seed);
    const layer = new nn.DropConnectLinear(3, 2, 0.4);
    expect((t: Tensor) => F.tanh(layer.forward(t))).to.passGradgradcheck([leaf([2, 3]), layer.weight, layer.bias!], seed);
  });

  it('the kernel-backed ops refuse createGraph by name instead of returning a gradient with no graph', () => {
    const image = leaf([1, 2, 4, 4]);
    const cases: Array<[string, () => Tensor]> = [
      ['conv2d', () => F.conv2d(image, leaf([2, 2, 3, 3]))],
      ['maxPool2d', () => F.maxPool2d(image, 2)],
      ['avgPool2d', () => F.avgPool2d(image, 2)],
      ['adaptiveAvgPool2d', () => F.adaptiveAvgPool2d(image, 1)],
      ['batchNorm', () => new nn.BatchNorm2d(2).forward(image)],
    ];
    for (const [name, forward] of cases) {
      const y = sum(mul(forward(), forward()));
      expect(() => grad(y, [image], undefined, { createGraph: true }), name).to.throw(`${name}: double backward is not supported yet`);
      expect(grad(y, [image])[0]!.shape, `${name} first order`).to.deep.equal([1, 2, 4, 4]);
    }
  });
});
