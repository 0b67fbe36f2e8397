import { expect } from 'chai';
import { type Tensor, expand, gradcheck, manualSeed, narrow, randn, tensor, transpose, withBackend } from '../index';
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

  it('relu matches max(x, 0) and its mask on every length mod 4, every dtype, contiguous or not', () => {
    // relu's loops take four elements at a time plus a remainder, and read views through a copy:
    // lengths 1..9 reach every remainder; transposed, sliced and broadcast views every layout.
    const expected = (values: ArrayLike<number>): number[] => Array.from(values, (v) => Math.max(v, 0));
    const layouts: Array<[string, (n: number, dtype: 'float32' | 'float64') => Tensor]> = [
      ['contiguous', (n, dtype) => randn([n], { dtype })],
      ['transposed', (n, dtype) => transpose(randn([n, 3], { dtype }), 0, 1)],
      ['sliced (strided)', (n, dtype) => narrow(randn([n, 5], { dtype }), 1, 1, 3)],
      ['broadcast (stride 0)', (n, dtype) => expand(randn([n, 1], { dtype }), [n, 3])],
    ];
    for (const dtype of ['float32', 'float64'] as const) {
      for (const [layout, make] of layouts) {
        for (let n = 1; n <= 9; n++) {
          const x = make(n, dtype).requiresGrad_();
          const what = `${dtype} ${layout} n=${n}`;
          const y = relu(x);
          expect(y.dtype, what).to.equal(dtype);
          expect(Array.from(y.data), what).to.deep.equal(expected(x.data));
          // The incoming gradient is a view too (transposed when x is 2-D), so backward reads strided input.
          const g = randn(x.ndim === 2 ? [x.shape[1], x.shape[0]] : x.shape, { dtype });
          y.backward(x.ndim === 2 ? transpose(g, 0, 1) : g);
          const gx = x.ndim === 2 ? transpose(g, 0, 1).data : g.data;
          const mask = Array.from(x.data, (v, i) => (v > 0 ? gx[i] : 0));
          // + 0 turns the −0 of a negative gradient times a 0 mask into 0, as the expected values have it.
          expect(
            Array.from(x.grad!.data, (v) => v + 0),
            what,
          ).to.deep.equal(mask);
        }
      }
    }
    expect(Array.from(relu(tensor([NaN, -0, -1, 2, NaN])).data)).to.deep.equal([NaN, 0, 0, 2, NaN]);
  });

  it('relu of −∞ is 0 and of NaN is NaN, as PyTorch, on every backend and on wasm arrays past the js cut-off', () => {
    for (const backend of ['reference', 'js', 'wasm'] as const) {
      for (const n of [8, 5000]) {
        const values = Float32Array.from({ length: n }, (_, i) => [Number.NEGATIVE_INFINITY, Number.NaN, -0, 3, -2][i % 5]);
        const y = withBackend(backend, () => relu(tensor(values, { shape: [n] })));
        expect(Array.from(y.data.slice(0, 5)), `${backend}, ${n} values`).to.deep.equal([0, Number.NaN, 0, 3, 0]);
      }
    }
  });

  it("relu's gradient is dy where y > 0 and +0 elsewhere, as PyTorch's threshold_backward: an infinite or NaN dy where y ≤ 0 gives 0", () => {
    const x = [-1, -2, 0, 3, Number.NaN, 2, 4, -5];
    const dy = [Number.POSITIVE_INFINITY, Number.NaN, -1, 7, 9, 6, Number.NaN, Number.NEGATIVE_INFINITY];
    const expected = [0, 0, 0, 7, 0, 6, Number.NaN, 0];
    for (const backend of ['reference', 'js', 'wasm'] as const) {
      for (const n of [8, 5000]) {
        const leaf = tensor(
          Float32Array.from({ length: n }, (_, i) => x[i % 8]),
          { shape: [n] },
        ).requiresGrad_();
        const gradient = tensor(
          Float32Array.from({ length: n }, (_, i) => dy[i % 8]),
          { shape: [n] },
        );
        withBackend(backend, () => relu(leaf).backward(gradient));
        expect(Array.from(leaf.grad?.data.slice(0, 8) ?? []), `${backend}, ${n} values`).to.deep.equal(expected);
      }
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
