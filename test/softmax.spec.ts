import { expect } from 'chai';
import { gradcheck, manualSeed, randn, tensor } from '../index';
import { logSoftmax, softmax } from '../lib/ops/softmax';
import { transposedLeaf } from './helpers/inputs';
import { expectTensorClose } from './helpers/close';

describe('softmax and logSoftmax', () => {
  beforeEach(() => manualSeed(13));

  it('normalizes along the last dim and along dim 0', () => {
    expectTensorClose(
      softmax(
        tensor([
          [0, Math.log(3)],
          [1, 1],
        ]),
        -1,
      ),
      [
        [0.25, 0.75],
        [0.5, 0.5],
      ],
    );
    expectTensorClose(logSoftmax(tensor([0, Math.log(3)]), 0), [Math.log(0.25), Math.log(0.75)]);
    expectTensorClose(
      softmax(
        tensor([
          [0, 2],
          [Math.log(3), 2],
        ]),
        0,
      ),
      [
        [0.25, 0.5],
        [0.75, 0.5],
      ],
    );
  });

  it('normalizes along a middle dim of a 3-d tensor', () => {
    // Each [i, :, k] lane is (0, ln 3): probabilities (1/4, 3/4) whatever i and k.
    const lane = [
      [0, 0, 0],
      [Math.log(3), Math.log(3), Math.log(3)],
    ];
    expectTensorClose(softmax(tensor([lane, lane]), 1), [
      [
        [0.25, 0.25, 0.25],
        [0.75, 0.75, 0.75],
      ],
      [
        [0.25, 0.25, 0.25],
        [0.75, 0.75, 0.75],
      ],
    ]);
  });

  it('stays finite for huge logits (shifts by the max)', () => {
    expectTensorClose(softmax(tensor([1000, 1000]), 0), [0.5, 0.5]);
    expectTensorClose(logSoftmax(tensor([1000, 0]), 0), [0, -1000]);
    expectTensorClose(logSoftmax(tensor([-1000, -1000 + Math.log(3)]), 0), [Math.log(0.25), Math.log(0.75)], 1e-10);
  });

  it('keeps the input dtype', () => {
    expect(softmax(tensor([1, 2], { dtype: 'float32' }), 0).dtype).to.equal('float32');
    expect(logSoftmax(tensor([1, 2], { dtype: 'float32' }), 0).dtype).to.equal('float32');
  });

  for (const [name, op] of [
    ['softmax', softmax],
    ['logSoftmax', logSoftmax],
  ] as const) {
    it(`${name}: gradcheck along every dim of 2-d and 3-d inputs`, () => {
      for (const dim of [0, 1, -1]) gradcheck((t) => op(t, dim), [randn([3, 4], { requiresGrad: true })]);
      for (const dim of [0, 1, 2]) gradcheck((t) => op(t, dim), [randn([2, 3, 4], { requiresGrad: true })]);
    });
    it(`${name}: gradcheck on a transposed (non-contiguous) input`, () => {
      for (const dim of [0, 1]) gradcheck((t) => op(t, dim), [transposedLeaf(randn([4, 3]))]);
    });
  }

  it('names the op, dim and rank when dim is out of range', () => {
    expect(() => softmax(randn([2, 3]), 3)).to.throw('softmax: dim 3 is out of range for a tensor of rank 2 (expected -2..1)');
    expect(() => logSoftmax(randn([2, 3]), -3)).to.throw('logSoftmax: dim -3 is out of range for a tensor of rank 2 (expected -2..1)');
  });
});
