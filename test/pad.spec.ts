import { expect } from 'chai';
import { gradcheck, manualSeed, randn, tensor } from '../index';
import { type PadMode, pad } from '../lib/ops/pad';
import { transposedLeaf } from './helpers/inputs';

describe('pad', () => {
  beforeEach(() => manualSeed(31));

  it('pads with a constant, pairs counted from the last dim backwards', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(pad(x, [1, 2]).toArray()).to.deep.equal([
      [0, 1, 2, 0, 0],
      [0, 3, 4, 0, 0],
    ]);
    expect(pad(x, [0, 0, 1, 0], { value: 9 }).toArray()).to.deep.equal([
      [9, 9],
      [1, 2],
      [3, 4],
    ]);
    expect(pad(x, [1, 1, 1, 1]).shape).to.deep.equal([4, 4]);
    expect(pad(x, []).toArray()).to.deep.equal([
      [1, 2],
      [3, 4],
    ]);
  });

  it('crops with negative padding', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(pad(x, [-1, 0]).toArray()).to.deep.equal([
      [2, 3],
      [5, 6],
    ]);
    expect(pad(x, [1, -2, 0, -1]).toArray()).to.deep.equal([[0, 1]]);
  });

  it('names an output too large to allocate instead of failing in the engine', () => {
    expect(() => pad(randn([2, 2]), [3e9, 3e9])).to.throw(
      RangeError,
      'pad: output shape [2,6000000002] has 12000000004 elements, more than the 4294967296 one typed array can hold',
    );
  });

  it('reflects, replicates and wraps around as PyTorch does', () => {
    const x = tensor([1, 2, 3, 4]);
    expect(pad(x, [2, 1], { mode: 'reflect' }).toArray()).to.deep.equal([3, 2, 1, 2, 3, 4, 3]);
    expect(pad(x, [2, 1], { mode: 'replicate' }).toArray()).to.deep.equal([1, 1, 1, 2, 3, 4, 4]);
    expect(pad(x, [2, 1], { mode: 'circular' }).toArray()).to.deep.equal([3, 4, 1, 2, 3, 4, 1]);
    expect(
      pad(
        tensor([
          [1, 2],
          [3, 4],
        ]),
        [0, 1, 1, 0],
        { mode: 'reflect' },
      ).toArray(),
    ).to.deep.equal([
      [3, 4, 3],
      [1, 2, 1],
      [3, 4, 3],
    ]);
  });

  it('gives each input element the sum of the gradients of the outputs copied from it', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    pad(x, [2, 1], { mode: 'reflect' }).backward(tensor([1, 10, 100, 1000, 10000, 100000]));
    // output = [x2, x1, x0, x1, x2, x1]
    expect(x.grad!.toArray()).to.deep.equal([100, 10 + 1000 + 100000, 1 + 10000]);
    const y = tensor([1, 2, 3], { requiresGrad: true });
    pad(y, [-1, 1], { value: 5 }).backward(tensor([1, 10, 100]));
    expect(y.grad!.toArray()).to.deep.equal([0, 1, 10]);
  });

  for (const mode of ['constant', 'reflect', 'replicate', 'circular'] as PadMode[]) {
    it(`gradcheck: ${mode} mode on 3-D and transposed inputs`, () => {
      gradcheck((t) => pad(t, [2, 1, 1, 2], { mode, value: 0.5 }), [randn([2, 3, 4], { requiresGrad: true })]);
      gradcheck((t) => pad(t, [1, -1, 2, 0], { mode }), [transposedLeaf(randn([4, 3]))]);
    });
  }

  it('names the padding, the dim and the limit on invalid arguments', () => {
    const x = randn([2, 3]);
    expect(() => pad(x, [1])).to.throw('pad: padding [1] must be an even number (at most 4) of integers for a tensor of shape [2,3]');
    expect(() => pad(x, [1, 1, 1, 1, 1, 1])).to.throw('pad: padding [1,1,1,1,1,1] must be an even number (at most 4)');
    expect(() => pad(x, [0.5, 1])).to.throw('pad: padding [0.5,1] must be an even number');
    expect(() => pad(x, [-2, -2])).to.throw('pad: padding [-2,-2] on dim 1 of size 3 leaves a negative size -1');
    expect(() => pad(x, [3, 0], { mode: 'reflect' })).to.throw('pad: reflect padding [3,0] on dim 1 must not exceed 2 for a dim of size 3');
    expect(() => pad(x, [0, 4], { mode: 'circular' })).to.throw('pad: circular padding [0,4] on dim 1 must not exceed 3');
    expect(() => pad(x, [1, 1], { mode: 'wrap' as PadMode })).to.throw(
      'pad: mode must be one of constant, reflect, replicate, circular, got "wrap"',
    );
    // Names on every object's prototype are not modes ('toString' padded with garbage, 'constructor' with NaN).
    for (const mode of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expect(() => pad(x, [1, 1], { mode: mode as PadMode }), mode).to.throw(
        `pad: mode must be one of constant, reflect, replicate, circular, got "${mode}"`,
      );
    }
  });
});
