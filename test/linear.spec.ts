import { expect } from 'chai';
import { add, gradcheck, manualSeed, randn, tensor } from '../index';
import { linear } from '../lib/ops/linear';
import { matmul } from '../lib/ops/matmul';
import { transpose } from '../lib/ops/views';
import { transposedLeaf } from './helpers/inputs';

describe('linear', () => {
  beforeEach(() => manualSeed(5));

  it('computes x·Wᵀ + b with weight laid out [out, in]', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    const w = tensor([
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    expect(linear(x, w, tensor([10, 20, 30])).toArray()).to.deep.equal([
      [11, 22, 33],
      [13, 24, 37],
    ]);
    expect(linear(x, w).toArray()).to.deep.equal([
      [1, 2, 3],
      [3, 4, 7],
    ]);
    expect(linear(tensor([1, 2]), w).toArray()).to.deep.equal([1, 2, 3]);
  });

  it('matches matmul(x, Wᵀ) + b on a 3-D input', () => {
    const x = randn([2, 3, 4]);
    const w = randn([5, 4]);
    const b = randn([5]);
    const expected = (add(matmul(x, transpose(w, 0, 1)), b).toArray() as number[][][]).flat(2);
    const actual = (linear(x, w, b).toArray() as number[][][]).flat(2);
    expect(linear(x, w, b).shape).to.deep.equal([2, 3, 5]);
    actual.forEach((v, i) => {
      expect(v).to.be.closeTo(expected[i], 1e-12);
    });
  });

  it('gradcheck: 2-D input with bias, and without bias', () => {
    const x = randn([3, 4], { requiresGrad: true });
    const w = randn([2, 4], { requiresGrad: true });
    gradcheck(linear, [x, w, randn([2], { requiresGrad: true })]);
    gradcheck((a, b) => linear(a, b), [x, w]);
  });

  it('gradcheck: 3-D input (weight and bias gradients summed over every leading dim)', () => {
    gradcheck(linear, [
      randn([2, 3, 4], { requiresGrad: true }),
      randn([3, 4], { requiresGrad: true }),
      randn([3], { requiresGrad: true }),
    ]);
  });

  it('gradcheck: 1-D input and transposed (non-contiguous) input and weight', () => {
    gradcheck(linear, [randn([4], { requiresGrad: true }), randn([2, 4], { requiresGrad: true }), randn([2], { requiresGrad: true })]);
    const x = transposedLeaf(randn([4, 3]));
    const w = transposedLeaf(randn([4, 2]));
    expect(x.isContiguous || w.isContiguous).to.equal(false);
    gradcheck(linear, [x, w, randn([2], { requiresGrad: true })]);
  });

  it('names the shapes when weight, input or bias do not fit', () => {
    expect(() => linear(randn([2, 3]), randn([3]))).to.throw('linear: weight must be 2-D [out, in], got shape [3]');
    expect(() => linear(randn([2, 3]), randn([4, 5]))).to.throw(
      'linear: input of shape [2,3] must end in 5 features to match weight [4,5] ([out, in])',
    );
    expect(() => linear(randn([2, 3]), randn([4, 3]), randn([3]))).to.throw('linear: bias of shape [3] must be [4] to match weight [4,3]');
  });
});
