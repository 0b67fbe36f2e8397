import { expect } from 'chai';
import { gradcheck, manualSeed, mul, randn, tensor } from '../index';
import { cat, concat, stack } from '../lib/ops/join';
import { transposedLeaf } from './helpers/inputs';

describe('concat and stack', () => {
  beforeEach(() => manualSeed(19));

  it('concatenates along any dim, negative dims included', () => {
    const a = tensor([
      [1, 2],
      [3, 4],
    ]);
    const b = tensor([[5, 6]]);
    const c = tensor([[7], [8]]);
    expect(concat([a, b]).toArray()).to.deep.equal([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(concat([a, c, a], 1).toArray()).to.deep.equal([
      [1, 2, 7, 1, 2],
      [3, 4, 8, 3, 4],
    ]);
    expect(cat([c, a], -1).toArray()).to.deep.equal([
      [7, 1, 2],
      [8, 3, 4],
    ]);
    expect(cat).to.equal(concat);
  });

  it('stacks along a new dim', () => {
    const a = tensor([1, 2]);
    const b = tensor([3, 4]);
    expect(stack([a, b]).toArray()).to.deep.equal([
      [1, 2],
      [3, 4],
    ]);
    expect(stack([a, b], 1).toArray()).to.deep.equal([
      [1, 3],
      [2, 4],
    ]);
    expect(stack([a, b], -1).toArray()).to.deep.equal([
      [1, 3],
      [2, 4],
    ]);
    expect(stack([tensor(1), tensor(2)]).toArray()).to.deep.equal([1, 2]);
  });

  it('gradcheck: concat of three inputs (one transposed) along the middle dim', () => {
    const a = randn([2, 1, 3], { requiresGrad: true });
    const b = randn([2, 2, 3], { requiresGrad: true });
    gradcheck((x, y) => concat([x, y, x], 1), [a, b]);
    const t = transposedLeaf(randn([3, 2]));
    gradcheck((x, y) => concat([x, y], 0), [t, randn([1, 3], { requiresGrad: true })]);
  });

  it('gradcheck: stack along the first and last dims', () => {
    const a = randn([2, 3], { requiresGrad: true });
    const b = transposedLeaf(randn([3, 2]));
    gradcheck((x, y) => stack([x, y]), [a, b]);
    gradcheck((x, y) => stack([x, y], -1), [a, b]);
  });

  it('routes each slice of the gradient to its input and sums a repeated input', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = tensor([3], { requiresGrad: true });
    mul(concat([x, y, x]), tensor([1, 10, 100, 1000, 10000])).backward(tensor([1, 1, 1, 1, 1]));
    expect(x.grad!.toArray()).to.deep.equal([1001, 10010]);
    expect(y.grad!.toArray()).to.deep.equal([100]);
  });

  it('names the offending tensor, its shape and the expected one', () => {
    expect(() => concat([])).to.throw('concat: expected at least one tensor, got an empty list');
    expect(() => concat([tensor(1)])).to.throw('concat: tensor 0 is zero-dimensional');
    expect(() => concat([randn([2, 3]), randn([2, 3]), randn([2, 4])])).to.throw(
      'concat: tensor 2 has shape [2,4], which does not match shape [2,3] of tensor 0 outside dim 0',
    );
    expect(() => concat([randn([2, 3]), randn([2, 3, 1])], 1)).to.throw('concat: tensor 1 has shape [2,3,1]');
    expect(() => concat([randn([2, 3])], 2)).to.throw('concat: dim 2 is out of range for a tensor of rank 2');
    expect(() => stack([])).to.throw('stack: expected at least one tensor, got an empty list');
    expect(() => stack([randn([2, 3]), randn([3, 2])])).to.throw('stack: tensor 1 has shape [3,2], but tensor 0 has shape [2,3]');
    expect(() => stack([randn([2])], 2)).to.throw('stack: dim 2 is out of range for a tensor of rank 2');
  });
});
