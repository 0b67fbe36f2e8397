import { expect } from 'chai';
import { type Tensor, gradcheck, manualSeed, randn, tensor } from '../index';
import { leakyRelu, relu, sigmoid, tanh } from '../lib/ops/activations';
import { transposedLeaf } from './helpers/inputs';
import { expectTensorClose } from './helpers/close';
import { kinkFreeRandn } from './helpers/inputs';

describe('activations', () => {
  beforeEach(() => manualSeed(5));

  it('computes relu and leakyRelu (default slope 0.01)', () => {
    const x = tensor([-2, 0, 3]);
    expect(relu(x).toArray()).to.deep.equal([0, 0, 3]);
    expectTensorClose(leakyRelu(x), [-0.02, 0, 3]);
    expectTensorClose(leakyRelu(x, 0.5), [-1, 0, 3]);
  });

  it('computes sigmoid and tanh, without overflow at large |x|', () => {
    expectTensorClose(sigmoid(tensor([0, Math.log(3), -Math.log(3)])), [0.5, 0.75, 0.25]);
    expect(sigmoid(tensor([-1000, 1000])).toArray()).to.deep.equal([0, 1]);
    expectTensorClose(tanh(tensor([0, Math.LN2, -Math.LN2])), [0, 0.6, -0.6]);
  });

  it('uses the PyTorch gradients at 0: relu 0, leakyRelu the slope', () => {
    const x = tensor([-1, 0, 2], { requiresGrad: true });
    relu(x).backward(tensor([1, 1, 1]));
    expect(x.grad!.toArray()).to.deep.equal([0, 0, 1]);
    x.grad = null;
    leakyRelu(x, 0.25).backward(tensor([1, 1, 1]));
    expect(x.grad!.toArray()).to.deep.equal([0.25, 0.25, 1]);
  });

  it('gradcheck: relu and leakyRelu away from 0, contiguous and transposed', () => {
    for (const op of [relu, (t: Tensor) => leakyRelu(t, 0.1)]) {
      gradcheck((t) => op(t), [kinkFreeRandn([3, 4], [0]).requiresGrad_()]);
      gradcheck((t) => op(t), [transposedLeaf(kinkFreeRandn([4, 3], [0]))]);
    }
  });

  it('gradcheck: sigmoid and tanh, contiguous and transposed', () => {
    for (const op of [sigmoid, tanh]) {
      gradcheck((t) => op(t), [randn([3, 4]).mul(3).requiresGrad_()]);
      gradcheck((t) => op(t), [transposedLeaf(randn([4, 3]))]);
    }
  });

  it('refuses a non-finite negativeSlope', () => {
    expect(() => leakyRelu(tensor([1]), NaN)).to.throw('leakyRelu: negativeSlope must be a finite number, got NaN');
  });
});
