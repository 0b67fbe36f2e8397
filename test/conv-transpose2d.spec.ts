/**
 * convTranspose2d and nn.ConvTranspose2d: PyTorch's semantics (weight [inC, outC/groups, kH, kW],
 * output size (H−1)·s − 2·p + d·(k−1) + outputPadding + 1), hand-computed values, gradcheck over
 * its options, errors that name the argument, and the layer's init and state dict. PyTorch's own
 * numbers are in conv-transpose2d-torch.spec.ts.
 */
import { expect } from 'chai';
import { F, Tensor, gradcheck, manualSeed, nn, randn, tensor, withBackend } from '../index';
import type { BackendName } from '../index';
import { convTranspose2d } from '../lib/ops/conv-transpose2d';
import { convTranspose2dCases } from './helpers/conv-transpose2d-cases';

/** x = [[1,2],[3,4]] and w = [[1,2],[3,4]]: each input pixel stamps x·w into the output. */
const square = (): Tensor =>
  tensor([
    [
      [
        [1, 2],
        [3, 4],
      ],
    ],
  ]);

describe('convTranspose2d', () => {
  beforeEach(() => manualSeed(17));

  for (const backend of ['reference', 'js'] as BackendName[]) {
    describe(`forward values by hand (${backend} backend)`, () => {
      const run = (...args: Parameters<typeof convTranspose2d>): unknown => withBackend(backend, () => convTranspose2d(...args).toArray());

      it('stride 1 sums the overlapping stamps, plus the bias', () => {
        // y[1,1] = 1·4 + 2·3 + 3·2 + 4·1 = 20.
        expect(run(square(), square(), tensor([0.5]))).to.deep.equal([
          [
            [
              [1.5, 4.5, 4.5],
              [6.5, 20.5, 16.5],
              [9.5, 24.5, 16.5],
            ],
          ],
        ]);
      });

      it('stride 2 places the stamps apart; outputPadding adds a last row and column; padding crops', () => {
        const stamps = [
          [1, 2, 2, 4],
          [3, 4, 6, 8],
          [3, 6, 4, 8],
          [9, 12, 12, 16],
        ];
        expect(run(square(), square(), null, { stride: 2 })).to.deep.equal([[stamps]]);
        expect(run(square(), square(), null, { stride: 2, outputPadding: 1 })).to.deep.equal([
          [[...stamps.map((row) => [...row, 0]), [0, 0, 0, 0, 0]]],
        ]);
        expect(run(square(), square(), null, { stride: 2, padding: 1 })).to.deep.equal([
          [
            [
              [4, 6],
              [6, 4],
            ],
          ],
        ]);
      });

      it('groups keep channels apart: weight [inC, outC/groups, kH, kW]', () => {
        const x = tensor([[[[1]], [[10]]]]);
        const w = tensor([[[[1, 2]]], [[[3, 4]]]]);
        expect(run(x, w, null, { groups: 2 })).to.deep.equal([[[[1, 2]], [[30, 40]]]]);
      });
    });
  }

  it('output [N, outC, (H−1)·s − 2·p + d·(k−1) + outputPadding + 1, …] in the input dtype', () => {
    const y = convTranspose2d(randn([2, 4, 5, 3], { dtype: 'float32' }), randn([4, 3, 3, 2]), randn([6]), {
      stride: [2, 3],
      padding: [1, 0],
      outputPadding: [1, 0],
      dilation: [1, 2],
      groups: 2,
    });
    expect(y.dtype).to.equal('float32');
    // H: 4·2 − 2 + 2 + 1 + 1 = 10; W: 2·3 − 0 + 2 + 0 + 1 = 9
    expect(y.shape).to.deep.equal([2, 6, 10, 9]);
    expect(convTranspose2d(randn([0, 2, 3, 3]), randn([2, 1, 2, 2])).shape).to.deep.equal([0, 1, 4, 4]);
  });

  it('is the adjoint of conv2d: ⟨conv2d(u, w), v⟩ = ⟨u, convTranspose2d(v, w)⟩', () => {
    const options = { stride: 2, padding: 1, dilation: 2, groups: 2 };
    const u = randn([2, 4, 9, 8]);
    const w = randn([6, 2, 3, 3]);
    const convOut = F.conv2d(u, w, null, options);
    const v = randn(convOut.shape);
    const outputPadding = [9, 8].map((size, axis) => size + 2 - ((convOut.shape[axis + 2] - 1) * 2 + 2 * 2 + 1)) as [number, number];
    const back = convTranspose2d(v, w, null, { ...options, outputPadding });
    expect(back.shape).to.deep.equal(u.shape);
    const left = convOut.mul(v).sum().item();
    const right = u.mul(back).sum().item();
    expect(Math.abs(left - right)).to.be.below(1e-9 * Math.abs(left) + 1e-9);
  });

  describe('gradcheck (float64, reference backend) w.r.t. input, weight and bias', () => {
    for (const { x: xShape, w: wShape, options, bias = true } of convTranspose2dCases) {
      it(`x ${JSON.stringify(xShape)}, w ${JSON.stringify(wShape)}, ${JSON.stringify(options)}${bias ? ', bias' : ''}`, () => {
        const x = randn(xShape, { requiresGrad: true });
        const w = randn(wShape, { requiresGrad: true });
        const outC = wShape[1] * (options.groups ?? 1);
        const inputs = bias ? [x, w, randn([outC], { requiresGrad: true })] : [x, w];
        withBackend('reference', () => gradcheck((...t) => convTranspose2d(t[0], t[1], t[2] ?? null, options), inputs));
      });
    }

    it('on a non-contiguous (permuted) input, on the js backend too', () => {
      const x = new Tensor(randn([1, 2, 4, 3]).nd.transpose(0, 1, 3, 2), true);
      expect(x.isContiguous).to.equal(false);
      const w = randn([2, 2, 3, 3], { requiresGrad: true });
      for (const backend of ['reference', 'js'] as BackendName[]) {
        withBackend(backend, () => gradcheck((a, b) => convTranspose2d(a, b, null, { stride: 2, padding: 1 }), [x, w]));
      }
    });
  });

  it('a bias changed in place before backward is no error (as PyTorch, the conv ops save no bias), an input is', () => {
    for (const op of [F.conv2d, convTranspose2d]) {
      const x = randn([1, 2, 4, 4], { requiresGrad: true });
      const b = randn([2], { requiresGrad: true });
      const y = op(x, randn([2, 2, 3, 3]), b);
      b.storage[0] += 1;
      y.sum().backward();
      expect(x.grad?.shape, op.name).to.deep.equal([1, 2, 4, 4]);
      const z = op(x, randn([2, 2, 3, 3]), b);
      x.storage[0] += 1;
      expect(() => z.sum().backward(), op.name).to.throw('modified by an in-place operation');
    }
  });

  describe('errors name the argument, its value and what was expected', () => {
    const x = (): Tensor => randn([1, 4, 3, 3]);
    const w = (): Tensor => randn([4, 2, 3, 3]);
    it('shapes', () => {
      expect(() => convTranspose2d(randn([4, 3, 3]), w())).to.throw('convTranspose2d: input must be 4-D [N,C,H,W], got [4,3,3]');
      expect(() => convTranspose2d(x(), randn([4, 2, 3]))).to.throw(
        'convTranspose2d: weight must be 4-D [inC,outC/groups,kH,kW], got [4,2,3]',
      );
      expect(() => convTranspose2d(x(), randn([3, 2, 3, 3]))).to.throw(
        'convTranspose2d: input [1,4,3,3] has 4 channels but weight [3,2,3,3] expects 3 (weight.shape[0])',
      );
      expect(() => convTranspose2d(x(), w(), null, { groups: 3 })).to.throw(
        'convTranspose2d: input channels 4 (input [1,4,3,3]) are not divisible by groups=3',
      );
      expect(() => convTranspose2d(x(), w(), randn([3]), { groups: 2 })).to.throw(
        'convTranspose2d: bias must have shape [4] (weight.shape[1] × groups=2 output channels), got [3]',
      );
      expect(() => convTranspose2d(randn([1, 4, 0, 3]), w())).to.throw(
        'convTranspose2d: input [1,4,0,3] has an empty dim (only N of [N,C,H,W] may be 0)',
      );
      expect(() => convTranspose2d(x(), randn([4, 2, 1, 1]), null, { padding: 2 })).to.throw(
        'convTranspose2d: the output would be -1×-1 for input [1,4,3,3], weight [4,2,1,1] and padding [2,2]: padding is too large',
      );
    });

    it('options', () => {
      expect(() => convTranspose2d(x(), w(), null, { outputPadding: 1 })).to.throw(
        'convTranspose2d: outputPadding must be smaller than stride or dilation (as in PyTorch), got outputPadding [1,1] with stride [1,1] and dilation [1,1]',
      );
      expect(() => convTranspose2d(x(), w(), null, { stride: 2, outputPadding: [1, 2] })).to.throw(
        'convTranspose2d: outputPadding must be smaller than stride or dilation',
      );
      // PyTorch's rule is "or": smaller than the dilation alone is fine.
      expect(convTranspose2d(x(), w(), null, { dilation: 2, outputPadding: 1 }).shape).to.deep.equal([1, 2, 8, 8]);
      expect(() => convTranspose2d(x(), w(), null, { padding: 'same' as never })).to.throw(
        'convTranspose2d: padding must be a non-negative integer or a pair of them, got "same"',
      );
      expect(() => convTranspose2d(x(), w(), null, { outputPadding: -1 })).to.throw(
        'convTranspose2d: outputPadding must be a non-negative integer or a pair of them, got -1',
      );
      expect(() => convTranspose2d(x(), w(), null, { stride: 0 })).to.throw(
        'convTranspose2d: stride must be a positive integer or a pair of them, got 0',
      );
      expect(() => convTranspose2d(x(), w(), null, { groups: 1.5 })).to.throw(
        'convTranspose2d: groups must be a positive integer, got 1.5',
      );
      expect(() => convTranspose2d(x(), w(), null, { output_padding: 1 } as never)).to.throw(
        "convTranspose2d: unknown option 'output_padding'",
      );
    });
  });

  describe('nn.ConvTranspose2d', () => {
    it("PyTorch's weight layout, state-dict keys and init bound 1/√(outC/groups·kH·kW)", () => {
      const layer = new nn.ConvTranspose2d(4, 6, [3, 2], { groups: 2, stride: 2 });
      expect(layer.weight.shape).to.deep.equal([4, 3, 3, 2]);
      expect(layer.bias?.shape).to.deep.equal([6]);
      expect(Object.keys(layer.stateDict())).to.deep.equal(['weight', 'bias']);
      const bound = 1 / Math.sqrt(3 * 3 * 2);
      for (const p of [layer.weight, layer.bias!]) {
        const values = [...p.data];
        expect(Math.max(...values.map(Math.abs))).to.be.at.most(bound);
        // 24 or 6 uniform draws over ±bound: the largest is not far inside it.
        expect(Math.max(...values.map(Math.abs))).to.be.above(bound / 2);
      }
      expect(layer.forward(randn([2, 4, 3, 3])).shape).to.deep.equal([2, 6, 7, 6]);
      expect(new nn.ConvTranspose2d(2, 2, 3, { bias: false }).bias).to.equal(null);
    });

    it('checks its options at construction, naming itself', () => {
      expect(() => new nn.ConvTranspose2d(2, 2, 3, { outputPadding: 1 })).to.throw(
        'ConvTranspose2d: outputPadding must be smaller than stride or dilation',
      );
      expect(() => new nn.ConvTranspose2d(3, 2, 3, { groups: 2 })).to.throw(
        'ConvTranspose2d: inChannels 3 and outChannels 2 must both be divisible by groups 2',
      );
      expect(() => new nn.ConvTranspose2d(2, 2, 0)).to.throw(
        'ConvTranspose2d: kernelSize must be a positive integer or a pair of them, got 0',
      );
      expect(() => new nn.ConvTranspose2d(2, 2, 3, { paddng: 1 } as never)).to.throw("ConvTranspose2d: unknown option 'paddng'");
      expect(() => new nn.ConvTranspose2d(1.5, 2, 3)).to.throw('ConvTranspose2d: inChannels must be a positive integer, got 1.5');
      expect(() => new nn.ConvTranspose2d(2, 2, 3, { bias: 'no' as never })).to.throw('ConvTranspose2d: bias must be a boolean, got "no"');
      expect(() => new nn.ConvTranspose2d(2, 2, 3, { padding: 'same' as never })).to.throw(
        'ConvTranspose2d: padding must be a non-negative integer or a pair of them, got "same"',
      );
      expect(() => new nn.ConvTranspose2d(2, 2, 3, { dtype: 'int8' as never })).to.throw(
        "ConvTranspose2d: dtype must be 'float64' or 'float32', got \"int8\"",
      );
      expect(() => new nn.ConvTranspose2d(2, 2, 3, { generator: {} as never })).to.throw(
        'ConvTranspose2d: generator must be a Generator, got {}',
      );
      expect(new nn.ConvTranspose2d(2, 4, 3, { dtype: 'float32' }).weight.dtype).to.equal('float32');
    });
  });
});
