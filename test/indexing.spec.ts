import { expect } from 'chai';
import { arange, gradcheck, manualSeed, randn, tensor } from '../index';
import { gather, indexSelect, narrow, select, slice } from '../lib/ops/indexing';
import { reshape } from '../lib/ops/views';
import { transposedLeaf } from './helpers/inputs';

describe('indexing ops', () => {
  beforeEach(() => manualSeed(29));

  it('slice follows Python: negative indices, clamped bounds, steps', () => {
    const x = arange(6);
    expect(slice(x, 0, 1, 4).toArray()).to.deep.equal([1, 2, 3]);
    expect(slice(x, 0, -2).toArray()).to.deep.equal([4, 5]);
    expect(slice(x, 0, 0, 100, 2).toArray()).to.deep.equal([0, 2, 4]);
    expect(slice(x, 0, -100, -1, 3).toArray()).to.deep.equal([0, 3]);
    expect(slice(x, 0, 4, 2).shape).to.deep.equal([0]);
    const m = reshape(arange(12), [3, 4]);
    expect(slice(m, 1, 1, 4, 2).toArray()).to.deep.equal([
      [1, 3],
      [5, 7],
      [9, 11],
    ]);
    expect(slice(m, -2, 2).toArray()).to.deep.equal([[8, 9, 10, 11]]);
  });

  it('slice, narrow and select are views sharing the source storage', () => {
    const m = reshape(arange(12), [3, 4]);
    const s = slice(m, 1, 1, 4, 2);
    const n = narrow(m, 0, 1, 2);
    const row = select(m, 0, -1);
    expect([s, n, row].every((v) => v.nd.data === m.nd.data)).to.equal(true);
    m.nd.data[9] = -9;
    expect(s.toArray()).to.deep.equal([
      [1, 3],
      [5, 7],
      [-9, 11],
    ]);
    expect(n.toArray()).to.deep.equal([
      [4, 5, 6, 7],
      [8, -9, 10, 11],
    ]);
    expect(row.toArray()).to.deep.equal([8, -9, 10, 11]);
    expect(select(m, 1, 2).toArray()).to.deep.equal([2, 6, 10]);
  });

  it('indexSelect and gather copy the chosen entries', () => {
    const m = reshape(arange(6), [2, 3]);
    expect(indexSelect(m, 1, [2, 0, 2]).toArray()).to.deep.equal([
      [2, 0, 2],
      [5, 3, 5],
    ]);
    expect(indexSelect(m, 0, tensor([1])).toArray()).to.deep.equal([[3, 4, 5]]);
    expect(
      gather(
        m,
        1,
        tensor([
          [0, 0],
          [2, 1],
        ]),
      ).toArray(),
    ).to.deep.equal([
      [0, 0],
      [5, 4],
    ]);
    expect(gather(m, 0, tensor([[1, 0, 1]])).toArray()).to.deep.equal([[3, 1, 5]]);
  });

  it('writes slice gradients into zeros and accumulates repeated indices', () => {
    const x = tensor([1, 2, 3, 4, 5], { requiresGrad: true });
    slice(x, 0, 1, 5, 2).backward(tensor([10, 20]));
    expect(x.grad!.toArray()).to.deep.equal([0, 10, 0, 20, 0]);
    const y = tensor([1, 2, 3], { requiresGrad: true });
    indexSelect(y, 0, [2, 0, 2, 2]).backward(tensor([1, 10, 100, 1000]));
    expect(y.grad!.toArray()).to.deep.equal([10, 0, 1101]);
    const z = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    gather(
      z,
      1,
      tensor([
        [1, 1, 1],
        [0, 1, 0],
      ]),
    ).backward(
      tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    );
    expect(z.grad!.toArray()).to.deep.equal([
      [0, 6],
      [10, 5],
    ]);
  });

  it('gradcheck: slice with steps and negative bounds, narrow, select', () => {
    const x = randn([3, 5], { requiresGrad: true });
    gradcheck((t) => slice(t, 1, -4, 5, 2), [x]);
    gradcheck((t) => slice(slice(t, 0, 1), 1, 0, 3), [x]);
    gradcheck((t) => narrow(t, 1, 1, 3), [x]);
    gradcheck((t) => select(t, 0, 1), [x]);
    const tx = transposedLeaf(randn([5, 3]));
    gradcheck((t) => slice(t, 0, 2), [tx]);
    gradcheck((t) => select(slice(t, 1, 1, 5, 3), 1, -1), [tx]);
  });

  it('gradcheck: indexSelect and gather with repeated indices, on contiguous and transposed inputs', () => {
    for (const x of [randn([3, 4], { requiresGrad: true }), transposedLeaf(randn([4, 3]))]) {
      gradcheck((t) => indexSelect(t, 1, [3, 0, 3]), [x]);
      gradcheck((t) => indexSelect(t, 0, tensor([2, 2, 1])), [x]);
      gradcheck(
        (t) =>
          gather(
            t,
            1,
            tensor([
              [0, 0],
              [3, 1],
              [2, 2],
            ]),
          ),
        [x],
      );
      gradcheck((t) => gather(t, 0, tensor([[2, 0, 2, 1]])), [x]);
    }
  });

  it('names the op, the bad value and the valid range', () => {
    const x = randn([3, 4]);
    expect(() => slice(x, 2, 0, 1)).to.throw('slice: dim 2 is out of range for a tensor of rank 2');
    expect(() => slice(x, 0, 0, 2, 0)).to.throw('slice: step must be a positive integer, got 0');
    expect(() => slice(x, 0, 0.5, 2)).to.throw('slice: start and end must be integers, got start 0.5 and end 2');
    expect(() => narrow(x, 1, 2, 3)).to.throw('narrow: start 2 and length 3 do not fit dim 1 of size 4 (shape [3,4])');
    expect(() => select(x, 0, 3)).to.throw('select: index 3 is out of range for dim 0 of size 3 (shape [3,4])');
    expect(() => select(x, 0, -4)).to.throw('select: index -4 is out of range for dim 0 of size 3');
    expect(() => indexSelect(x, 1, [0, 4])).to.throw('indexSelect: index 4 (at position 1) is out of range for dim 1 of size 4');
    expect(() => indexSelect(x, 1, [-1])).to.throw('indexSelect: index -1 (at position 0) is out of range');
    expect(() => indexSelect(x, 0, tensor([[0]]))).to.throw('indexSelect: indices must be 1-D, got shape [1,1]');
    expect(() => gather(x, 1, tensor([[0, 5]]))).to.throw('gather: index 5 (at position 1) is out of range for dim 1 of size 4');
    expect(() => gather(x, 1, tensor([0]))).to.throw('gather: index of shape [1] must have the rank of input [3,4]');
    expect(() => gather(x, 1, tensor([[0], [0], [0], [0]]))).to.throw(
      'gather: index of shape [4,1] must have the rank of input [3,4] and no larger size outside dim 1',
    );
  });
});
