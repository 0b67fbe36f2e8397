import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type NestedArray, gradcheck, manualSeed, randn, tensor } from '../index';
import { type CrossEntropyOptions, crossEntropy } from '../lib/ops/cross-entropy';
import type { Reduction } from '../lib/ops/loss-reduction';
import { mseLoss } from '../lib/ops/mse-loss';
import { softmax } from '../lib/ops/softmax';
import { transposedLeaf } from './helpers/inputs';
import { expectTensorClose } from './helpers/close';

/** One F.cross_entropy call recorded by scripts/fixtures/losses.py. */
interface TorchCase {
  name: string;
  logits: NestedArray;
  targets: NestedArray;
  options: { reduction?: Reduction; labelSmoothing?: number; ignoreIndex?: number; weight?: number[] };
  gradOutput: NestedArray;
  loss: NestedArray;
  gradLogits: NestedArray;
  gradTargets?: NestedArray;
}

const fixture: { cases: TorchCase[] } = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'losses.json'), 'utf8'));

describe('crossEntropy', () => {
  beforeEach(() => manualSeed(17));

  it('is ln 2 for two equal logits, and −log p of the target in general', () => {
    expectTensorClose(crossEntropy(tensor([[0, 0]]), tensor([0])), Math.LN2);
    const logits = tensor([
      [1, 2, 3],
      [0, 0, Math.log(2)],
    ]);
    const p0 = Math.exp(2) / (Math.exp(1) + Math.exp(2) + Math.exp(3));
    expectTensorClose(crossEntropy(logits, tensor([1, 2]), { reduction: 'none' }), [-Math.log(p0), -Math.log(0.5)]);
    expectTensorClose(crossEntropy(logits, tensor([1, 2]), { reduction: 'sum' }), -Math.log(p0) - Math.log(0.5));
  });

  for (const c of fixture.cases) {
    it(`matches PyTorch: ${c.name}`, () => {
      const logits = tensor(c.logits, { requiresGrad: true });
      const soft = c.gradTargets !== undefined;
      const targets = tensor(c.targets, { requiresGrad: soft });
      const { weight, ...rest } = c.options;
      const options: CrossEntropyOptions = { ...rest, ...(weight ? { weight: tensor(weight) } : {}) };
      const loss = crossEntropy(logits, targets, options);
      expectTensorClose(loss, c.loss, 1e-10);
      loss.backward(tensor(c.gradOutput));
      expectTensorClose(logits.grad!, c.gradLogits, 1e-10);
      if (soft) expectTensorClose(targets.grad!, c.gradTargets!, 1e-10);
    });
  }

  it('computes its fused gradient (softmax − onehot)/N', () => {
    const logits = tensor(
      [
        [1, 2, 3],
        [0, 0, 0],
      ],
      { requiresGrad: true },
    );
    crossEntropy(logits, tensor([2, 0])).backward();
    const p = softmax(logits.detach(), 1).toArray() as number[][];
    expectTensorClose(logits.grad!, [
      [p[0][0] / 2, p[0][1] / 2, (p[0][2] - 1) / 2],
      [(p[1][0] - 1) / 2, p[1][1] / 2, p[1][2] / 2],
    ]);
  });

  it('keeps logits of −∞ for untargeted classes finite in loss and gradient', () => {
    const logits = tensor([[0, -Infinity, 0]], { requiresGrad: true });
    const loss = crossEntropy(logits, tensor([0]));
    expect(loss.item()).to.be.closeTo(Math.LN2, 1e-15);
    loss.backward();
    expect(logits.grad!.toArray()).to.deep.equal([[-0.5, 0, 0.5]]);
  });

  it('keeps the logits dtype', () => {
    expect(crossEntropy(tensor([[1, 2]], { dtype: 'float32' }), tensor([1])).dtype).to.equal('float32');
  });

  const indexCases: Array<[string, CrossEntropyOptions]> = [
    ['mean', {}],
    ['none', { reduction: 'none' }],
    ['sum, weight, smoothing, ignoreIndex', { reduction: 'sum', weight: tensor([0.5, 2, 1, 1.5]), labelSmoothing: 0.2, ignoreIndex: 1 }],
  ];
  for (const [label, options] of indexCases) {
    it(`gradcheck with class indices: ${label}`, () => {
      const targets = tensor([0, 1, 3, 2, 1]);
      gradcheck((x) => crossEntropy(x, targets, options), [randn([5, 4], { requiresGrad: true })]);
      gradcheck((x) => crossEntropy(x, tensor([0, 1, 3, 2]), options), [transposedLeaf(randn([4, 4]))]);
    });
  }

  it('gradcheck with soft targets, w.r.t. logits and targets', () => {
    const targets = softmax(randn([3, 4]), 1).requiresGrad_();
    gradcheck((x, t) => crossEntropy(x, t), [randn([3, 4], { requiresGrad: true }), targets]);
    gradcheck(
      (x, t) => crossEntropy(x, t, { reduction: 'none', labelSmoothing: 0.1, weight: tensor([1, 2, 0.5, 1]) }),
      [transposedLeaf(randn([4, 3])), targets],
    );
  });

  it('gradcheck on [N, C, d] logits, with indices and with soft targets', () => {
    const logits = randn([2, 3, 4], { requiresGrad: true });
    gradcheck(
      (x) =>
        crossEntropy(
          x,
          tensor([
            [0, 2, 1, 1],
            [2, 0, 1, 2],
          ]),
          { labelSmoothing: 0.1 },
        ),
      [logits],
    );
    gradcheck((x, t) => crossEntropy(x, t, { reduction: 'sum' }), [logits, softmax(randn([2, 3, 4]), 1).requiresGrad_()]);
  });

  it('every target ignored, mean reduction: loss NaN (0/0) but gradient 0, as PyTorch 1.13', () => {
    for (const labelSmoothing of [0, 0.1]) {
      const logits = randn([3, 5], { requiresGrad: true });
      const loss = crossEntropy(logits, tensor([-100, -100, -100]), { labelSmoothing });
      expect(Number.isNaN(loss.item()), `loss, smoothing ${labelSmoothing}`).to.equal(true);
      loss.backward();
      expect(Array.from(logits.grad!.data), `gradient, smoothing ${labelSmoothing}`).to.deep.equal(new Array(15).fill(0));
    }
  });

  it('validates targets: range, integrality, shape', () => {
    const logits = randn([3, 5]);
    expect(() => crossEntropy(logits, tensor([0, 5, 1]))).to.throw(
      'crossEntropy: target 5 at index 1 is out of range for 5 classes (expected 0..4)',
    );
    expect(() => crossEntropy(logits, tensor([0, 1, -1]))).to.throw(
      'crossEntropy: target -1 at index 2 is out of range for 5 classes (expected 0..4)',
    );
    expect(() => crossEntropy(logits, tensor([1.5, 1, 1]))).to.throw('crossEntropy: target 1.5 at index 0 is not an integer class index');
    expect(() => crossEntropy(logits, tensor([0, 1]))).to.throw(
      'crossEntropy: targets of shape [2] fit logits of shape [3,5] neither as class indices (expected [3]) nor as probabilities (expected [3,5])',
    );
    expect(() => crossEntropy(logits, tensor([0, 7, 1]), { ignoreIndex: 7 })).not.to.throw();
  });

  it('validates logits, weight, reduction, labelSmoothing and ignoreIndex', () => {
    const logits = randn([3, 5]);
    const targets = tensor([0, 1, 2]);
    expect(() => crossEntropy(randn([5]), tensor(1))).to.throw('crossEntropy: logits must have shape [N,C] or [N,C,d1,...], got [5]');
    expect(() => crossEntropy(logits, targets, { weight: tensor([1, 2]) })).to.throw(
      'crossEntropy: weight has shape [2], expected [5] (one per class)',
    );
    expect(() => crossEntropy(logits, targets, { reduction: 'avg' as Reduction })).to.throw(
      `crossEntropy: reduction must be 'mean', 'sum' or 'none', got "avg"`,
    );
    expect(() => crossEntropy(logits, targets, { labelSmoothing: 1.5 })).to.throw(
      'crossEntropy: labelSmoothing must be in [0, 1], got 1.5',
    );
    for (const ignoreIndex of [1.5, NaN, Infinity]) {
      expect(() => crossEntropy(logits, targets, { ignoreIndex }), `${ignoreIndex}`).to.throw(
        RangeError,
        `crossEntropy: ignoreIndex must be an integer, got ${ignoreIndex}`,
      );
    }
    expect(() => crossEntropy(logits, softmax(randn([3, 5]), 1), { ignoreIndex: 0 })).to.throw(
      'crossEntropy: ignoreIndex 0 applies only to class-index targets, not to probability targets',
    );
  });
});

describe('mseLoss', () => {
  beforeEach(() => manualSeed(19));

  it('averages, sums or keeps the squared errors', () => {
    const input = tensor([
      [1, 2],
      [3, 4],
    ]);
    const target = tensor([
      [1, 0],
      [0, 4],
    ]);
    expect(mseLoss(input, target).item()).to.equal(13 / 4);
    expect(mseLoss(input, target, { reduction: 'sum' }).item()).to.equal(13);
    expect(mseLoss(input, target, { reduction: 'none' }).toArray()).to.deep.equal([
      [0, 4],
      [9, 0],
    ]);
  });

  it('gives 2(x − t)/n to the input and its negative to the target', () => {
    const input = tensor([1, 2, 3], { requiresGrad: true });
    const target = tensor([1, 0, 0], { requiresGrad: true });
    mseLoss(input, target).backward();
    expectTensorClose(input.grad!, [0, 4 / 3, 2]);
    expectTensorClose(target.grad!, [0, -4 / 3, -2]);
  });

  for (const reduction of ['mean', 'sum', 'none'] as const) {
    it(`gradcheck w.r.t. input and target, reduction ${reduction}`, () => {
      gradcheck((x, t) => mseLoss(x, t, { reduction }), [randn([3, 4], { requiresGrad: true }), randn([3, 4], { requiresGrad: true })]);
      gradcheck((x, t) => mseLoss(x, t, { reduction }), [transposedLeaf(randn([4, 3])), randn([3, 4], { requiresGrad: true })]);
    });
  }

  it('names both shapes when they differ, and a bad reduction', () => {
    expect(() => mseLoss(randn([2, 3]), randn([3]))).to.throw('mseLoss: input shape [2,3] and target shape [3] differ');
    expect(() => mseLoss(randn([2]), randn([2]), { reduction: 'max' as Reduction })).to.throw(
      `mseLoss: reduction must be 'mean', 'sum' or 'none', got "max"`,
    );
  });
});
