import { expect } from 'chai';
import { gradcheck, manualSeed, mul, randn, tensor } from '../index';
import { where } from '../lib/ops/where';
import { transposedLeaf } from './helpers/inputs';

describe('where', () => {
  beforeEach(() => manualSeed(23));

  it('picks a where the condition is nonzero and b elsewhere, broadcasting all three', () => {
    const cond = tensor([[1, 0, 1]]);
    expect(
      where(
        cond,
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        tensor([[-1], [-2]]),
      ).toArray(),
    ).to.deep.equal([
      [1, -1, 3],
      [4, -2, 6],
    ]);
    expect(where(tensor([0, 2, -1]), tensor([1, 2, 3]), 0).toArray()).to.deep.equal([0, 2, 3]);
    expect(where(tensor([0, 1]), 7, tensor([1, 2])).toArray()).to.deep.equal([1, 7]);
    expect(where(tensor([1, 0]), tensor([1, 2], { dtype: 'float32' }), 5).dtype).to.equal('float32');
  });

  it('sends the gradient to a where the condition holds and to b elsewhere, never to the condition', () => {
    const cond = tensor([1, 0, 1], { requiresGrad: true });
    const a = tensor([1, 2, 3], { requiresGrad: true });
    const b = tensor([4], { requiresGrad: true });
    mul(where(cond, a, b), tensor([10, 20, 30])).backward(tensor([1, 1, 1]));
    expect(a.grad!.toArray()).to.deep.equal([10, 0, 30]);
    expect(b.grad!.toArray()).to.deep.equal([20]);
    expect(cond.grad).to.equal(null);
  });

  it('gradcheck: broadcast operands and a broadcast condition', () => {
    const cond = tensor([[1], [0], [1]]);
    const a = randn([1, 4], { requiresGrad: true });
    const b = randn([2, 3, 4], { requiresGrad: true });
    gradcheck((x, y) => where(cond, x, y), [a, b]);
  });

  it('gradcheck: transposed (non-contiguous) operands and a number operand', () => {
    const cond = tensor([
      [1, 0, 0],
      [0, 1, 1],
    ]);
    gradcheck((x, y) => where(cond, x, y), [transposedLeaf(randn([3, 2])), transposedLeaf(randn([3, 2]))]);
    gradcheck((x) => where(cond, 0, x), [randn([3], { requiresGrad: true })]);
  });

  it('names all three shapes when they cannot broadcast', () => {
    expect(() => where(tensor([1, 0]), randn([3]), randn([3]))).to.throw(
      'where: condition [2], a [3] and b [3] cannot be broadcast together',
    );
  });
});
