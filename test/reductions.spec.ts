import { expect } from 'chai';
import { arange, gradcheck, manualSeed, randn, tensor, zeros } from '../index';
import { type Dims, max, mean, min, sum, var as varAlias, variance } from '../lib/ops/reductions';
import { transposedLeaf } from './helpers/inputs';
import { expectTensorClose } from './helpers/close';

describe('reductions', () => {
  beforeEach(() => manualSeed(3));
  const x23 = () =>
    tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);

  it('sums over all dims, one dim, negative dims and several dims', () => {
    const s = sum(x23());
    expect(s.shape).to.deep.equal([]);
    expect(s.item()).to.equal(21);
    expect(sum(x23(), 0).toArray()).to.deep.equal([5, 7, 9]);
    expect(sum(x23(), -1).toArray()).to.deep.equal([6, 15]);
    expect(sum(x23(), 1, true).toArray()).to.deep.equal([[6], [15]]);
    expect(sum(x23(), [0, 1], true).toArray()).to.deep.equal([[21]]);
    // x[i,j,k] = 12i + 4j + k; summing over i and k gives 60 + 32j.
    const cube = tensor(arange(24).toArray(), { shape: [2, 3, 4] });
    expect(sum(cube, [0, -1], true).toArray()).to.deep.equal([[[60], [92], [124]]]);
    expect(sum(cube, [2, 0]).toArray()).to.deep.equal([60, 92, 124]);
  });

  it('computes mean, max and min', () => {
    expect(mean(x23()).item()).to.equal(3.5);
    expect(mean(x23(), 0).toArray()).to.deep.equal([2.5, 3.5, 4.5]);
    expect(max(x23(), 1).toArray()).to.deep.equal([3, 6]);
    expect(max(x23()).item()).to.equal(6);
    expect(min(x23(), 0, true).toArray()).to.deep.equal([[1, 2, 3]]);
    expect(min(tensor([[-Infinity, -Infinity]]), 1).toArray()).to.deep.equal([-Infinity]);
  });

  it('propagates NaN through max and min, as PyTorch', () => {
    expect(max(tensor([1, NaN, 3])).item()).to.be.NaN;
    expect(min(tensor([1, NaN, -3])).item()).to.be.NaN;
  });

  it('computes var with correction 1 (default, unbiased) and 0 (biased)', () => {
    // Deviations from 3.5 are ±0.5, ±1.5, ±2.5: their squares sum to 17.5.
    expect(variance(x23()).item()).to.be.closeTo(17.5 / 5, 1e-14);
    expect(variance(x23(), undefined, { correction: 0 }).item()).to.be.closeTo(17.5 / 6, 1e-14);
    expectTensorClose(variance(x23(), 1), [1, 1]);
    expectTensorClose(variance(x23(), 0, { keepdim: true, correction: 0 }), [[2.25, 2.25, 2.25]]);
    expect(varAlias).to.equal(variance);
  });

  it('var with a correction ≥ the count divides by 0, as PyTorch (max(0, n − c)): never a negative variance', () => {
    expect(variance(tensor([1, 2, 3]), undefined, { correction: 5 }).item()).to.equal(Infinity);
    expect(variance(tensor([1, 2, 3]), undefined, { correction: 3 }).item()).to.equal(Infinity);
    expect(variance(tensor([2, 2, 2]), undefined, { correction: 4 }).item()).to.be.NaN;
  });

  it('keeps the input dtype', () => {
    const f32 = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'float32' },
    );
    for (const out of [sum(f32), mean(f32, 0), max(f32, 1), min(f32), variance(f32)]) expect(out.dtype).to.equal('float32');
  });

  it('broadcasts gradients back over the reduced dims', () => {
    const x = x23().requiresGrad_();
    mean(x, 1).backward(tensor([3, 6]));
    expect(x.grad!.toArray()).to.deep.equal([
      [1, 1, 1],
      [2, 2, 2],
    ]);
    x.grad = null;
    sum(x, 0, true).backward(tensor([[1, 2, 3]]));
    expect(x.grad!.toArray()).to.deep.equal([
      [1, 2, 3],
      [1, 2, 3],
    ]);
  });

  it('sends the max/min gradient to the first extreme element among ties', () => {
    const x = tensor(
      [
        [1, 3, 3],
        [2, 0, 0],
      ],
      { requiresGrad: true },
    );
    max(x, 1).backward(tensor([10, 20]));
    expect(x.grad!.toArray()).to.deep.equal([
      [0, 10, 0],
      [20, 0, 0],
    ]);
    x.grad = null;
    min(x, 1).backward(tensor([10, 20]));
    expect(x.grad!.toArray()).to.deep.equal([
      [10, 0, 0],
      [0, 20, 0],
    ]);
    const full = tensor(
      [
        [5, 1],
        [5, 0],
      ],
      { requiresGrad: true },
    );
    max(full).backward();
    expect(full.grad!.toArray()).to.deep.equal([
      [1, 0],
      [0, 0],
    ]);
  });

  const dimCases: Array<[Dims | undefined, boolean]> = [
    [undefined, false],
    [0, false],
    [-1, true],
    [[0, 2], false],
    [[2, 1], true],
  ];
  for (const [dim, keepdim] of dimCases) {
    const label = `dim ${JSON.stringify(dim)}, keepdim ${keepdim}`;
    it(`gradcheck: sum, mean, max, min, var over ${label}`, () => {
      const x = randn([2, 3, 4], { requiresGrad: true });
      gradcheck((t) => sum(t, dim, keepdim), [x]);
      gradcheck((t) => mean(t, dim, keepdim), [x]);
      gradcheck((t) => max(t, dim, keepdim), [x]);
      gradcheck((t) => min(t, dim, keepdim), [x]);
      gradcheck((t) => variance(t, dim, { keepdim }), [x]);
      gradcheck((t) => variance(t, dim, { keepdim, correction: 0 }), [x]);
    });
  }

  it('gradcheck: every reduction on a transposed (non-contiguous) input', () => {
    for (const dim of [0, 1, undefined]) {
      const x = transposedLeaf(randn([4, 3]));
      gradcheck((t) => sum(t, dim), [x]);
      gradcheck((t) => mean(t, dim, true), [x]);
      gradcheck((t) => max(t, dim), [x]);
      gradcheck((t) => min(t, dim, true), [x]);
      gradcheck((t) => variance(t, dim), [x]);
    }
  });

  it('names the op and the dim when a dim is invalid', () => {
    expect(() => sum(x23(), 2)).to.throw('sum: dim 2 is out of range for a tensor of rank 2 (expected -2..1)');
    expect(() => mean(x23(), [0, -2])).to.throw('mean: dim [0,-2] repeats a dimension');
    expect(() => variance(x23(), -3)).to.throw('var: dim -3 is out of range');
  });

  it('refuses max/min over an empty dimension and a non-finite correction', () => {
    expect(() => max(zeros([0, 3]), 0)).to.throw('max: cannot reduce over an empty dimension of a tensor of shape [0,3]');
    expect(() => min(zeros([0]))).to.throw('min: cannot reduce over an empty dimension of a tensor of shape [0]');
    expect(max(zeros([0, 3]), 1).shape).to.deep.equal([0]);
    expect(() => variance(x23(), 0, { correction: NaN })).to.throw('var: correction must be a finite number, got NaN');
  });
});
