import { expect } from 'chai';
import { mnistTestDigits } from '../app/render/test-images';

describe('firstTestImages, through mnistTestDigits', () => {
  it('gives the first test digits as [N,1,28,28] gray levels in [0, 1]', () => {
    const digits = mnistTestDigits(2);
    expect(digits.shape).to.deep.equal([2, 1, 28, 28]);
    expect(digits.dtype).to.equal('float64');
    const values = Array.from(digits.contiguousData());
    expect(Math.min(...values)).to.equal(0);
    expect(Math.max(...values)).to.equal(1);
  });

  it('rejects a count outside the test set', () => {
    expect(() => mnistTestDigits(0)).to.throw(RangeError, 'count must be an integer in [1, 10000], got 0');
    expect(() => mnistTestDigits(10001)).to.throw(RangeError, 'got 10001');
  });
});
