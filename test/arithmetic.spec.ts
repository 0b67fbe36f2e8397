import { expect } from 'chai';
import { add, div, gradcheck, mul, neg, pow, randn, rand, sub, tensor } from '../index';
import { manualSeed } from '../index';
import { transposedLeaf } from './helpers/inputs';

describe('arithmetic ops', () => {
  beforeEach(() => manualSeed(7));

  it('computes elementwise results with broadcasting and number operands', () => {
    const a = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = tensor([10, 20, 30]);
    expect(add(a, b).toArray()).to.deep.equal([
      [11, 22, 33],
      [14, 25, 36],
    ]);
    expect(sub(a, 1).toArray()).to.deep.equal([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(mul(2, b).toArray()).to.deep.equal([20, 40, 60]);
    expect(div(b, tensor([[10], [5]])).toArray()).to.deep.equal([
      [1, 2, 3],
      [2, 4, 6],
    ]);
    expect(pow(b, 2).toArray()).to.deep.equal([100, 400, 900]);
    expect(neg(b).toArray()).to.deep.equal([-10, -20, -30]);
  });

  it('names both shapes when broadcasting is impossible', () => {
    expect(() => add(randn([2, 3]), randn([4]))).to.throw('add: shapes [2,3] and [4] cannot be broadcast together');
  });

  for (const [name, op] of [
    ['add', add],
    ['sub', sub],
    ['mul', mul],
    ['div', div],
  ] as const) {
    it(`${name}: gradcheck with broadcasting`, () => {
      const a = randn([3, 4], { requiresGrad: true });
      const b = rand([4]).add(0.5).requiresGrad_();
      gradcheck((x, y) => op(x, y), [a, b]);
    });
    it(`${name}: gradcheck on a transposed (non-contiguous) input`, () => {
      const a = transposedLeaf(randn([4, 3]));
      expect(a.isContiguous).to.equal(false);
      const b = rand([3, 4]).add(0.5).requiresGrad_();
      gradcheck((x, y) => op(x, y), [a, b]);
    });
  }

  it('neg and pow: gradcheck (base and exponent)', () => {
    const base = rand([2, 3]).add(0.5).requiresGrad_();
    const exponent = randn([3], { requiresGrad: true });
    gradcheck((x) => neg(x), [base]);
    gradcheck((x, e) => pow(x, e), [base, exponent]);
    gradcheck((x) => pow(x, 3), [randn([5], { requiresGrad: true })]);
  });
});
