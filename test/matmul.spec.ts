import { expect } from 'chai';
import { gradcheck, manualSeed, randn, tensor } from '../index';
import { matmul } from '../lib/ops/matmul';
import { select } from '../lib/ops/indexing';
import { transposedLeaf } from './helpers/inputs';

describe('matmul', () => {
  beforeEach(() => manualSeed(11));

  it('multiplies 2-D matrices', () => {
    const c = matmul(
      tensor([
        [1, 2],
        [3, 4],
      ]),
      tensor([
        [5, 6],
        [7, 8],
      ]),
    );
    expect(c.toArray()).to.deep.equal([
      [19, 22],
      [43, 50],
    ]);
  });

  it('agrees with a naive triple loop when the inner dim is not a multiple of the unrolling', () => {
    const a = randn([3, 7]);
    const b = randn([7, 5]);
    const [da, db] = [a.toArray() as number[][], b.toArray() as number[][]];
    const c = matmul(a, b).toArray() as number[][];
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 5; j++) {
        const expected = da[i].reduce((sum, v, p) => sum + v * db[p][j], 0);
        expect(c[i][j]).to.be.closeTo(expected, 1e-12);
      }
    }
  });

  it('treats 1-D operands as a dot product, a row vector, or a column vector', () => {
    const dot = matmul(tensor([1, 2, 3]), tensor([4, 5, 6]));
    expect(dot.shape).to.deep.equal([]);
    expect(dot.item()).to.equal(32);
    expect(
      matmul(
        tensor([1, 2]),
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ).toArray(),
    ).to.deep.equal([9, 12, 15]);
    expect(
      matmul(
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        tensor([1, 0, -1]),
      ).toArray(),
    ).to.deep.equal([-2, -2]);
    expect(matmul(tensor([1, 1]), randn([3, 2, 4])).shape).to.deep.equal([3, 4]);
    expect(matmul(randn([3, 2, 4]), tensor([1, 1, 1, 1])).shape).to.deep.equal([3, 2]);
  });

  it('broadcasts batch dims, each batch being a 2-D product', () => {
    const a = randn([2, 1, 2, 3]);
    const b = randn([4, 3, 2]);
    const c = matmul(a, b);
    expect(c.shape).to.deep.equal([2, 4, 2, 2]);
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 4; j++) {
        const expected = matmul(select(select(a, 0, i), 0, 0), select(b, 0, j)).toArray() as number[][];
        const actual = select(select(c, 0, i), 0, j).toArray() as number[][];
        actual.flat().forEach((v, k) => {
          expect(v).to.be.closeTo(expected.flat()[k], 1e-12);
        });
      }
    }
  });

  it('keeps float32 and promotes mixed dtypes to float64', () => {
    expect(matmul(randn([2, 3], { dtype: 'float32' }), randn([3, 2], { dtype: 'float32' })).dtype).to.equal('float32');
    expect(matmul(randn([2, 3], { dtype: 'float32' }), randn([3, 2])).dtype).to.equal('float64');
  });

  it('gradcheck: 2-D, 1-D·1-D, 1-D·N-D and N-D·1-D', () => {
    gradcheck(matmul, [randn([3, 4], { requiresGrad: true }), randn([4, 2], { requiresGrad: true })]);
    gradcheck(matmul, [randn([4], { requiresGrad: true }), randn([4], { requiresGrad: true })]);
    gradcheck(matmul, [randn([3], { requiresGrad: true }), randn([2, 3, 2], { requiresGrad: true })]);
    gradcheck(matmul, [randn([2, 2, 3], { requiresGrad: true }), randn([3], { requiresGrad: true })]);
  });

  it('gradcheck: batch dims broadcast on both sides are summed back', () => {
    gradcheck(matmul, [randn([2, 1, 2, 3], { requiresGrad: true }), randn([3, 3, 2], { requiresGrad: true })]);
    gradcheck(matmul, [randn([2, 3], { requiresGrad: true }), randn([2, 3, 2], { requiresGrad: true })]);
  });

  it('gradcheck: transposed (non-contiguous) operands', () => {
    const a = transposedLeaf(randn([4, 3]));
    const b = transposedLeaf(randn([2, 4]));
    expect(a.isContiguous || b.isContiguous).to.equal(false);
    gradcheck(matmul, [a, b]);
  });

  it('names both shapes when the inner dims differ', () => {
    expect(() => matmul(randn([2, 3]), randn([4, 5]))).to.throw('matmul: cannot multiply [2,3] by [4,5]');
    expect(() => matmul(randn([3]), randn([4]))).to.throw('matmul: cannot multiply [3] by [4]');
  });

  it('rejects 0-d operands and batch dims that do not broadcast', () => {
    expect(() => matmul(tensor(2), randn([2]))).to.throw('matmul: both arguments need at least 1 dimension, got shapes [] and [2]');
    expect(() => matmul(randn([2, 2, 3]), randn([3, 3, 4]))).to.throw(
      'matmul: batch dims [2] of [2,2,3] and [3] of [3,3,4] cannot be broadcast together',
    );
  });
});
