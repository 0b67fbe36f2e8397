import { expect } from 'chai';
import { grad, mul, randn, sum, type Tensor } from '../index';
import { multiplyByMask } from '../nn/drop/mask-product';
import { Generator } from '../lib/random/generator';

/**
 * The drop techniques' x ⊙ mask: its loop for masks constant over runs of x must give mul's numbers
 * bit for bit, in every dtype, for every mask shape a technique draws; other shapes go through mul.
 */
const draw = (shape: number[], dtype: 'float32' | 'float64', seed: number): Tensor =>
  randn(shape, { dtype, generator: new Generator(seed) });

describe('multiplyByMask', () => {
  const x = [2, 3, 4, 5];
  const masks: Array<[string, number[]]> = [
    ['a full mask (dropout, DropBlock)', [2, 3, 4, 5]],
    ['a channel mask (Dropout2d)', [2, 3, 1, 1]],
    ['a sample mask (stochastic depth)', [2, 1, 1, 1]],
    ['a 0-d mask', []],
    ['a lower-rank mask, aligned from the right', [4, 5]],
    ['a batchwise mask (mul)', [1, 3, 4, 5]],
    ['a mask shared across channels (mul)', [2, 1, 4, 5]],
  ];
  for (const [what, shape] of masks) {
    for (const [xType, maskType] of [
      ['float32', 'float32'],
      ['float64', 'float64'],
      ['float32', 'float64'],
    ] as const) {
      it(`equals mul bit for bit: ${what}, ${xType} input, ${maskType} mask`, () => {
        const input = draw(x, xType, 1);
        const mask = draw(shape, maskType, 2);
        const product = multiplyByMask('test', input, mask);
        expect(product.dtype).to.equal(mul(input, mask).dtype);
        expect(Array.from(product.data)).to.deep.equal(Array.from(mul(input, mask).data));
      });
    }
  }

  it('handles an empty batch', () => {
    expect(multiplyByMask('test', draw([0, 3, 2, 2], 'float32', 1), draw([0, 3, 1, 1], 'float32', 2)).shape).to.deep.equal([0, 3, 2, 2]);
  });

  it("refuses a mask that does not broadcast to the input's shape, naming the technique", () => {
    expect(() => multiplyByMask('dropout2d', draw([2, 3], 'float64', 1), draw([3, 1], 'float64', 2))).to.throw(
      RangeError,
      'dropout2d: shapes [2,3] and [3,1] cannot be broadcast together',
    );
    expect(() => multiplyByMask('dropout2d', draw([2, 3], 'float64', 1), draw([4, 1, 3], 'float64', 2))).to.throw(
      RangeError,
      "dropout2d: mask of shape [4,1,3] does not broadcast to the input's shape [2,3]",
    );
  });

  it('records its backward under createGraph: the second derivative of sum((x ⊙ m)²) is 2m²', () => {
    const input = draw([2, 3, 1, 2], 'float64', 3).requiresGrad_();
    const mask = draw([2, 3, 1, 1], 'float64', 4);
    const product = multiplyByMask('test', input, mask);
    const [first] = grad(sum(mul(product, product)), [input], undefined, { createGraph: true });
    expect(first!.gradFn).to.not.equal(null);
    const [second] = grad(sum(first!), [input]);
    const m = mask.toArray() as number[][][][];
    const expected = [0, 1].flatMap((n) => [0, 1, 2].flatMap((c) => [2 * m[n][c][0][0] ** 2, 2 * m[n][c][0][0] ** 2]));
    expect(Array.from(second!.data)).to.deep.equal(expected);
  });
});
