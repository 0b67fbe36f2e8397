import { expect } from 'chai';
import { Tensor, gradcheck, manualSeed, onesLike, randn, tensor, withBackend, zeros } from '../index';
import type { BackendName } from '../index';
import { conv2d } from '../lib/ops/conv2d';
import type { Conv2dOptions } from '../lib/ops/conv2d';
import { jsConv2d } from '../kernels/conv2d/js';

/** x = 1…9 as a 3×3 image, w = [[1,2],[3,4]]: small enough to convolve by hand. */
const image3x3 = (): Tensor =>
  tensor([
    [
      [
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
      ],
    ],
  ]);
const kernel2x2 = (): Tensor =>
  tensor([
    [
      [
        [1, 2],
        [3, 4],
      ],
    ],
  ]);
const backwardFromOnes = (y: Tensor): void => y.backward(onesLike(y));

describe('conv2d', () => {
  beforeEach(() => manualSeed(11));

  for (const backend of ['reference', 'js'] as BackendName[]) {
    describe(`forward values by hand (${backend} backend)`, () => {
      const run = (...args: Parameters<typeof conv2d>): unknown => withBackend(backend, () => conv2d(...args).toArray());

      it('valid, with a bias', () => {
        // y[0,0] = 1·1 + 2·2 + 4·3 + 5·4 = 37, and so on across the image.
        expect(run(image3x3(), kernel2x2(), tensor([0.5]))).to.deep.equal([
          [
            [
              [37.5, 47.5],
              [67.5, 77.5],
            ],
          ],
        ]);
      });

      it('padding 1 and stride 2 read zeros outside the image', () => {
        // Top-left window covers rows −1..0, cols −1..0: only x[0,0]·w[1,1] = 1·4.
        expect(run(image3x3(), kernel2x2(), null, { padding: 1, stride: 2 })).to.deep.equal([
          [
            [
              [4, 18],
              [36, 77],
            ],
          ],
        ]);
      });

      it("'same' with an even kernel pads the extra row and column at the bottom/right, as PyTorch", () => {
        expect(run(image3x3(), kernel2x2(), undefined, { padding: 'same' })).to.deep.equal([
          [
            [
              [37, 47, 21],
              [67, 77, 33],
              [23, 26, 9],
            ],
          ],
        ]);
      });

      it('dilation 2 spreads the taps over the corners', () => {
        expect(run(image3x3(), kernel2x2(), null, { dilation: 2 })).to.deep.equal([[[[1 * 1 + 3 * 2 + 7 * 3 + 9 * 4]]]]);
      });

      it('groups keep channels apart', () => {
        const x = tensor([
          [
            [
              [1, 1],
              [1, 1],
            ],
            [
              [2, 2],
              [2, 2],
            ],
          ],
        ]);
        const w = tensor([[[[3]]], [[[5]]]]);
        expect(run(x, w, null, { groups: 2 })).to.deep.equal([
          [
            [
              [3, 3],
              [3, 3],
            ],
            [
              [10, 10],
              [10, 10],
            ],
          ],
        ]);
      });
    });
  }

  it('keeps the input dtype and output shape [N, outC, outH, outW]', () => {
    const y = conv2d(randn([2, 3, 7, 6], { dtype: 'float32' }), randn([5, 3, 3, 2]), randn([5]), { stride: [2, 1], padding: [1, 0] });
    expect(y.dtype).to.equal('float32');
    expect(y.shape).to.deep.equal([2, 5, 4, 5]);
  });

  describe('gradcheck (float64, reference backend) w.r.t. input, weight and bias', () => {
    const cases: Array<{ x: number[]; w: number[]; options: Conv2dOptions; bias?: boolean }> = [
      { x: [2, 3, 5, 4], w: [4, 3, 3, 3], options: { padding: 1 } },
      { x: [1, 2, 5, 6], w: [3, 2, 2, 3], options: { stride: 2, padding: [1, 0] } },
      { x: [1, 2, 6, 7], w: [2, 2, 3, 2], options: { stride: [2, 3], padding: [2, 1] } },
      { x: [2, 1, 5, 5], w: [2, 1, 3, 3], options: { padding: 'same', dilation: 2 } },
      { x: [1, 2, 4, 5], w: [3, 2, 2, 4], options: { padding: 'same' } },
      { x: [1, 2, 7, 5], w: [2, 2, 2, 2], options: { padding: 'valid', dilation: [2, 1] } },
      { x: [1, 4, 4, 5], w: [6, 2, 3, 2], options: { groups: 2, padding: 1 } },
      { x: [2, 3, 5, 5], w: [3, 1, 3, 3], options: { groups: 3, stride: 2, padding: 1 } },
      { x: [1, 3, 7, 5], w: [6, 1, 3, 3], options: { groups: 3 }, bias: false },
      { x: [1, 3, 3, 5], w: [2, 3, 1, 1], options: {} },
    ];
    for (const { x: xShape, w: wShape, options, bias = true } of cases) {
      it(`x ${JSON.stringify(xShape)}, w ${JSON.stringify(wShape)}, ${JSON.stringify(options)}${bias ? ', bias' : ''}`, () => {
        const x = randn(xShape, { requiresGrad: true });
        const w = randn(wShape, { requiresGrad: true });
        const inputs = bias ? [x, w, randn([wShape[0]], { requiresGrad: true })] : [x, w];
        withBackend('reference', () => gradcheck((...t) => conv2d(t[0], t[1], t[2] ?? null, options), inputs));
      });
    }

    it('on a non-contiguous (permuted) input', () => {
      const x = new Tensor(randn([1, 2, 5, 4]).nd.transpose(0, 1, 3, 2), true);
      expect(x.isContiguous).to.equal(false);
      const w = randn([2, 2, 3, 3], { requiresGrad: true });
      withBackend('reference', () => gradcheck((a, b) => conv2d(a, b, null, { padding: 1 }), [x, w]));
    });
  });

  it('skips the input gradient when the input does not require grad', () => {
    const original = jsConv2d.backwardInput;
    let calls = 0;
    jsConv2d.backwardInput = (...args) => {
      calls++;
      original(...args);
    };
    try {
      const w = randn([4, 3, 3, 3], { requiresGrad: true });
      const b = zeros([4], { requiresGrad: true });
      withBackend('js', () => backwardFromOnes(conv2d(randn([2, 3, 6, 6]), w, b, { padding: 1 })));
      expect(calls).to.equal(0);
      expect(w.grad?.shape).to.deep.equal([4, 3, 3, 3]);
      expect(b.grad?.shape).to.deep.equal([4]);
      const x = randn([2, 3, 6, 6], { requiresGrad: true });
      withBackend('js', () => backwardFromOnes(conv2d(x, w, b, { padding: 1 })));
      expect(calls).to.equal(1);
    } finally {
      jsConv2d.backwardInput = original;
    }
  });

  describe('errors name the shapes', () => {
    const x = (): Tensor => randn([1, 3, 8, 8]);
    it('non-4-D input or weight', () => {
      expect(() => conv2d(randn([3, 28, 28]), randn([4, 3, 3, 3]))).to.throw('conv2d: input must be 4-D [N,C,H,W], got [3,28,28]');
      expect(() => conv2d(x(), randn([4, 3, 3]))).to.throw('conv2d: weight must be 4-D [outC,inC/groups,kH,kW], got [4,3,3]');
    });
    it('channel mismatch between input and weight', () => {
      expect(() => conv2d(x(), randn([16, 4, 3, 3]))).to.throw(
        'conv2d: input [1,3,8,8] has 3 channels but weight [16,4,3,3] with groups=1 expects 4 (weight.shape[1] × groups)',
      );
    });
    it('channels not divisible by groups', () => {
      expect(() => conv2d(randn([1, 6, 8, 8]), randn([4, 1, 3, 3]), null, { groups: 4 })).to.throw(
        'conv2d: input channels 6 (input [1,6,8,8]) are not divisible by groups=4',
      );
      expect(() => conv2d(randn([1, 4, 8, 8]), randn([6, 1, 3, 3]), null, { groups: 4 })).to.throw(
        'conv2d: output channels 6 (weight [6,1,3,3]) are not divisible by groups=4',
      );
      expect(() => conv2d(x(), randn([3, 1, 3, 3]), null, { groups: 0 })).to.throw('conv2d: groups must be a positive integer, got 0');
    });
    it('wrong bias shape', () => {
      expect(() => conv2d(x(), randn([16, 3, 3, 3]), randn([8]))).to.throw(
        'conv2d: bias must have shape [16] (one value per output channel of weight [16,3,3,3]), got [8]',
      );
    });
    it('a (dilated) kernel larger than the padded input', () => {
      expect(() => conv2d(randn([1, 1, 2, 2]), randn([1, 1, 3, 3]))).to.throw(
        'conv2d: the dilated kernel 3×3 (weight [1,1,3,3], dilation [1,1]) is larger than the padded input 2×2 (input [1,1,2,2])',
      );
      expect(() => conv2d(randn([1, 1, 4, 9]), randn([1, 1, 3, 3]), null, { dilation: 2 })).to.throw(
        'conv2d: the dilated kernel 5×5 (weight [1,1,3,3], dilation [2,2]) is larger than the padded input 4×9 (input [1,1,4,9])',
      );
    });
    it('non-positive or fractional stride and dilation, negative padding', () => {
      expect(() => conv2d(x(), randn([2, 3, 3, 3]), null, { stride: 0 })).to.throw(
        'conv2d: stride must be a positive integer or a pair of them, got 0',
      );
      expect(() => conv2d(x(), randn([2, 3, 3, 3]), null, { stride: [1, 1.5] })).to.throw(
        'conv2d: stride must be a positive integer or a pair of them, got [1,1.5]',
      );
      expect(() => conv2d(x(), randn([2, 3, 3, 3]), null, { dilation: -1 })).to.throw(
        'conv2d: dilation must be a positive integer or a pair of them, got -1',
      );
      expect(() => conv2d(x(), randn([2, 3, 3, 3]), null, { padding: -1 })).to.throw(
        "conv2d: padding must be a non-negative integer, a pair of them, 'same' or 'valid', got -1",
      );
      expect(() => conv2d(x(), randn([2, 3, 3, 3]), null, { padding: NaN })).to.throw(
        "conv2d: padding must be a non-negative integer, a pair of them, 'same' or 'valid', got NaN",
      );
      expect(() => conv2d(randn([2, 3, 8, 8]), randn([4, 3, 3, 3]), null, { padding: 1e9 })).to.throw(
        RangeError,
        'conv2d: output shape [2,4,2000000006,2000000006] has 32000000192000000000 elements, more than the 4294967296 one typed array can hold',
      );
      expect(() => conv2d(x(), randn([2, 3, 3, 3]), null, { stride: [1, Infinity] })).to.throw(
        'conv2d: stride must be a positive integer or a pair of them, got [1,Infinity]',
      );
    });
    it("'same' padding with a stride other than 1", () => {
      expect(() => conv2d(x(), randn([2, 3, 3, 3]), null, { padding: 'same', stride: [2, 1] })).to.throw(
        "conv2d: padding 'same' needs stride 1 (as in PyTorch), got stride [2,1]",
      );
    });
  });
});
