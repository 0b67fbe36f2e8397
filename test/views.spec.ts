import { expect } from 'chai';
import { type Tensor, arange, gradcheck, manualSeed, mul, randn, tensor } from '../index';
import { contiguous, expand, flatten, permute, reshape, squeeze, transpose, unsqueeze, view } from '../lib/ops/views';
import { slice } from '../lib/ops/indexing';
import { transposedLeaf } from './helpers/inputs';

const sharesStorage = (a: Tensor, b: Tensor): boolean => a.nd.data === b.nd.data;

describe('view ops', () => {
  beforeEach(() => manualSeed(3));

  it('reshape infers one -1 and keeps the row-major order', () => {
    const x = arange(6);
    expect(reshape(x, [2, 3]).toArray()).to.deep.equal([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(reshape(x, [-1, 2]).toArray()).to.deep.equal([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expect(reshape(x, [3, -1]).shape).to.deep.equal([3, 2]);
    expect(view(tensor(7), [1, 1]).toArray()).to.deep.equal([[7]]);
    expect(view).to.equal(reshape);
  });

  it('reshape is a view when strides allow, and a correct copy when they do not', () => {
    const x = arange(12);
    expect(sharesStorage(reshape(x, [3, 4]), x)).to.equal(true);
    const rows = slice(reshape(x, [3, 4]), 0, 1, 3); // offset view, still row-major
    const flat = reshape(rows, [8]);
    expect(sharesStorage(flat, x)).to.equal(true);
    expect(flat.toArray()).to.deep.equal([4, 5, 6, 7, 8, 9, 10, 11]);
    const t = transpose(reshape(x, [3, 4]), 0, 1);
    const copied = reshape(t, [12]);
    expect(sharesStorage(copied, x)).to.equal(false);
    expect(copied.toArray()).to.deep.equal([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
    // Splitting a dim of a transposed tensor needs no copy: [4,3] (transposed) → [2,2,3].
    const split = reshape(t, [2, 2, 3]);
    expect(sharesStorage(split, x)).to.equal(true);
    expect(split.toArray()).to.deep.equal([
      [
        [0, 4, 8],
        [1, 5, 9],
      ],
      [
        [2, 6, 10],
        [3, 7, 11],
      ],
    ]);
  });

  it('flatten, squeeze and unsqueeze reshape as in PyTorch', () => {
    const x = randn([2, 1, 3, 1]);
    expect(flatten(x).shape).to.deep.equal([6]);
    expect(flatten(x, 1).shape).to.deep.equal([2, 3]);
    expect(flatten(x, 0, 1).shape).to.deep.equal([2, 3, 1]);
    expect(flatten(tensor(5)).shape).to.deep.equal([1]);
    expect(squeeze(x).shape).to.deep.equal([2, 3]);
    expect(squeeze(x, 1).shape).to.deep.equal([2, 3, 1]);
    expect(squeeze(x, 0).shape).to.deep.equal([2, 1, 3, 1]);
    expect(squeeze(x, [-1, 1]).shape).to.deep.equal([2, 3]);
    expect(unsqueeze(x, 0).shape).to.deep.equal([1, 2, 1, 3, 1]);
    expect(unsqueeze(x, -1).shape).to.deep.equal([2, 1, 3, 1, 1]);
    expect(unsqueeze(tensor([1, 2]), 1).toArray()).to.deep.equal([[1], [2]]);
  });

  it('transpose and permute reorder dims without copying', () => {
    const x = reshape(arange(24), [2, 3, 4]);
    const p = permute(x, [2, 0, 1]);
    expect(p.shape).to.deep.equal([4, 2, 3]);
    expect((p.toArray() as number[][][])[3][1][2]).to.equal(1 * 12 + 2 * 4 + 3);
    const t = transpose(x, 0, -1);
    expect(t.shape).to.deep.equal([4, 3, 2]);
    expect(sharesStorage(p, x) && sharesStorage(t, x)).to.equal(true);
    x.nd.data[1 * 12 + 2 * 4 + 3] = -1; // a write to the source shows through both views
    expect((p.toArray() as number[][][])[3][1][2]).to.equal(-1);
    expect((t.toArray() as number[][][])[3][2][1]).to.equal(-1);
  });

  it('expand broadcasts with stride 0 (no copy); contiguous makes a row-major copy', () => {
    const x = tensor([[1], [2]]);
    const e = expand(x, [3, 2, -1]);
    expect(e.shape).to.deep.equal([3, 2, 1]);
    const wide = expand(x, [2, 3]);
    expect(wide.toArray()).to.deep.equal([
      [1, 1, 1],
      [2, 2, 2],
    ]);
    expect(sharesStorage(wide, x)).to.equal(true);
    expect(wide.strides).to.deep.equal([1, 0]);
    const c = contiguous(wide);
    expect(c.isContiguous && !sharesStorage(c, x)).to.equal(true);
    expect(c.toArray()).to.deep.equal([
      [1, 1, 1],
      [2, 2, 2],
    ]);
    expect(contiguous(x)).to.equal(x);
  });

  it('gradcheck: reshape, flatten, squeeze, unsqueeze on contiguous and transposed inputs', () => {
    for (const x of [randn([3, 4], { requiresGrad: true }), transposedLeaf(randn([4, 3]))]) {
      gradcheck((t) => reshape(t, [2, -1, 3]), [x]);
      gradcheck((t) => flatten(unsqueeze(t, 1)), [x]);
      gradcheck((t) => squeeze(unsqueeze(t, -1)), [x]);
    }
  });

  it('gradcheck: permute, transpose, expand, contiguous', () => {
    const x = randn([2, 3, 4], { requiresGrad: true });
    gradcheck((t) => permute(t, [1, 2, 0]), [x]);
    gradcheck((t) => transpose(t, 0, 2), [x]);
    gradcheck((t) => contiguous(permute(t, [2, 1, 0])), [x]);
    gradcheck((t) => expand(t, [2, 2, 3, 4]), [x]);
    gradcheck((t) => expand(t, [3, 2, 4]), [randn([3, 1, 4], { requiresGrad: true })]);
    gradcheck((t) => expand(t, [2, 3, 2]), [transposedLeaf(randn([2, 3]))]);
  });

  it('sends gradients through a chain of views to the right source elements', () => {
    const x = randn([2, 3, 4], { requiresGrad: true });
    // y[a][c][b] = x[b][c + 1][a]  (permute → slice → transpose), then z = y ⊙ w.
    const y = transpose(slice(permute(x, [2, 0, 1]), 2, 1, 3), 1, 2);
    expect(y.shape).to.deep.equal([4, 2, 2]);
    expect(sharesStorage(y, x)).to.equal(true);
    const w = randn([4, 2, 2]);
    mul(y, w).backward(
      tensor(
        Array.from({ length: 16 }, () => 1),
        { shape: [4, 2, 2] },
      ),
    );
    const gw = w.toArray() as number[][][];
    const expected = [0, 1].map((b) => [0, 1, 2].map((c1) => [0, 1, 2, 3].map((a) => (c1 >= 1 ? gw[a][c1 - 1][b] : 0))));
    expect(x.grad!.toArray()).to.deep.equal(expected);
    gradcheck((t) => reshape(transpose(slice(permute(t, [2, 0, 1]), 2, 1, 3), 1, 2), [-1]), [x]);
  });

  it('names the op, the shapes and the bad value on invalid arguments', () => {
    const x = randn([2, 3]);
    expect(() => reshape(x, [4, 2])).to.throw('reshape: cannot reshape a tensor of shape [2,3] (6 elements) into [4,2]');
    expect(() => reshape(x, [4, -1])).to.throw('reshape: cannot reshape a tensor of shape [2,3] (6 elements) into [4,-1]');
    expect(() => reshape(x, [-1, -1])).to.throw('reshape: shape [-1,-1] may infer at most 1 size (-1), got 2');
    expect(() => flatten(randn([2, 3, 4]), 2, 1)).to.throw('flatten: startDim 2 comes after endDim 1 for a tensor of shape [2,3,4]');
    expect(() => unsqueeze(x, 3)).to.throw('unsqueeze: dim 3 is out of range for a tensor of rank 3');
    expect(() => squeeze(x, 2)).to.throw('squeeze: dim 2 is out of range for a tensor of rank 2');
    expect(() => transpose(x, 0, 2)).to.throw('transpose: dim 2 is out of range for a tensor of rank 2');
    expect(() => permute(x, [0, 0])).to.throw('permute: dims [0,0] is not a permutation of the 2 dims of a tensor of shape [2,3]');
    expect(() => permute(x, [0])).to.throw('permute: dims [0] is not a permutation');
    expect(() => expand(x, [2, 4])).to.throw(
      'expand: cannot expand a tensor of shape [2,3] to [2,4] (dim 1 has size 3, so it can only stay 3 or be -1)',
    );
    expect(() => expand(x, [3])).to.throw(
      'expand: cannot expand a tensor of shape [2,3] to [3] (the target has fewer dims than the tensor)',
    );
    expect(() => expand(x, [-1, 2, 3])).to.throw('new leading dim 0 must be a non-negative integer, got -1');
  });
});
