import chai, { expect } from 'chai';
import {
  Generator,
  GradcheckError,
  Tensor,
  chaiGradcheck,
  defineOp,
  div,
  expand,
  gradcheck,
  manualSeed,
  mul,
  nn,
  rand,
  randn,
  tensor,
} from '../index';
import type { GradcheckFn } from '../lib/gradcheck';

chai.use(chaiGradcheck);

/** d(x²)/dx is 2x; this op claims x — the checker must catch it. */
const wrongSquare = defineOp({
  name: 'wrongSquare',
  forward: (x: Tensor) => ({ output: mul(x, x), saved: x }),
  backward: (x, g) => [mul(g, x)],
});

/** Multiplies by fresh uniform noise from the default generator: stochastic, like a dropout mask. */
const noisyScale = defineOp({
  name: 'noisyScale',
  forward: (x: Tensor) => {
    const noise = rand(x.shape);
    return { output: mul(x, noise), saved: noise };
  },
  backward: (noise, g) => [mul(g, noise)],
});

describe('gradcheck', () => {
  beforeEach(() => manualSeed(3));

  it('passes a correct op and reports per input', () => {
    const a = randn([2, 3], { requiresGrad: true });
    const b = rand([3]).add(1).requiresGrad_();
    const report = gradcheck((x, y) => div(x, y), [a, b]);
    expect(report.passed).to.equal(true);
    expect(report.inputs.map((r) => r.input)).to.deep.equal([0, 1]);
    expect(report.inputs[0].maxAbsError).to.be.below(1e-6);
  });

  it('fails on a deliberately wrong backward, naming the input and worst entry', () => {
    const x = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    expect(() => gradcheck((t) => wrongSquare(t), [x])).to.throw(
      GradcheckError,
      /input 0 \(shape \[2,2\]\): Jacobian mismatch at output 0\[1,1\], input index \[1,1\]: analytical 4, numerical 8/,
    );
    const report = gradcheck((t) => wrongSquare(t), [x], { raiseException: false });
    expect(report.passed).to.equal(false);
    expect(report.inputs[0].worst!.inputIndex).to.deep.equal([1, 1]);
  });

  it('fails in fastMode too', () => {
    const x = randn([4, 5], { requiresGrad: true });
    expect(gradcheck((t) => wrongSquare(t), [x], { fastMode: true, raiseException: false }).passed).to.equal(false);
    expect(gradcheck((t) => mul(t, t), [x], { fastMode: true }).passed).to.equal(true);
  });

  it('reports non-finite gradients instead of averaging them away', () => {
    const x = tensor([0, 1], { requiresGrad: true });
    const report = gradcheck((t) => div(1, t), [x], { raiseException: false });
    expect(report.passed).to.equal(false);
    expect(report.inputs[0].nonFinite).to.equal(true);
    expect(report.message).to.contain('non-finite gradient');
  });

  it('refuses float32 inputs and calls with nothing to check', () => {
    const x = randn([2], { dtype: 'float32', requiresGrad: true });
    expect(() => gradcheck((t) => mul(t, 2), [x])).to.throw(
      'gradcheck: input 0 (shape [2]) is float32; finite differences need float64 inputs',
    );
    expect(() => gradcheck((t) => mul(t, 2), [randn([2])])).to.throw('no input has requiresGrad');
  });

  it('refuses a step or tolerance that cannot make a check (eps 0 divided by zero and blamed the op), naming it', () => {
    const x = randn([2], { requiresGrad: true });
    for (const eps of [0, -1e-6, NaN, Infinity]) {
      expect(() => gradcheck((t) => mul(t, t), [x], { eps }), `eps ${eps}`).to.throw(
        RangeError,
        `gradcheck: eps must be a finite number > 0, got ${eps}`,
      );
    }
    for (const name of ['atol', 'rtol'] as const) {
      for (const value of [-1, NaN, Infinity]) {
        expect(() => gradcheck((t) => mul(t, t), [x], { [name]: value }), `${name} ${value}`).to.throw(
          RangeError,
          `gradcheck: ${name} must be a finite number ≥ 0, got ${value}`,
        );
      }
    }
    expect(() => gradcheck((t) => mul(t, t), [x], { seed: 1.5 })).to.throw(RangeError, 'gradcheck: seed must be an integer, got 1.5');
    // atol 0 is a valid choice: the exact zeros off the diagonal pass (they scored 0/0 = NaN and failed).
    expect(gradcheck((t) => mul(t, t), [x], { atol: 0, rtol: 0.01 }).passed).to.equal(true);
  });

  it('replays a stochastic op with the same mask when given a seed, and fails without one', () => {
    const x = randn([3, 3], { requiresGrad: true });
    expect(gradcheck((t) => noisyScale(t), [x], { seed: 11 }).passed).to.equal(true);
    expect(gradcheck((t) => noisyScale(t), [x], { raiseException: false }).passed).to.equal(false);
  });

  it('with a seed, replays every generator fn draws from: a layer with its own Generator passes', () => {
    const x = randn([4, 5], { requiresGrad: true });
    const own = new nn.Dropout(0.5, { generator: new Generator(7) });
    expect(gradcheck((t) => own.forward(t), [x], { seed: 0, raiseException: false }).passed, 'own generator').to.equal(true);
    // Two generators, one of them also drawing normals (Box–Muller keeps a spare between calls).
    const a = new Generator(1);
    const b = new Generator(2);
    a.normal();
    const twoStreams = (t: Tensor): Tensor => mul(mul(noisyScale(t), rand(t.shape, { generator: a })), randn(t.shape, { generator: b }));
    expect(gradcheck(twoStreams, [x], { seed: 3, raiseException: false }).passed, 'two generators and the default').to.equal(true);
    // Without a seed nothing is replayed, so a stochastic fn fails (the check can fail).
    expect(gradcheck((t) => own.forward(t), [x], { raiseException: false }).passed, 'no seed').to.equal(false);
  });

  it('leaves the generators it replayed where the first evaluation left them', () => {
    const g = new Generator(5);
    const x = randn([3], { requiresGrad: true });
    const expected = new Generator(5);
    expected.random();
    expected.random();
    expected.random();
    gradcheck((t) => mul(t, rand([3], { generator: g })), [x], { seed: 0 });
    expect(g.getState()).to.deep.equal(expected.getState());
  });

  it('refuses a fn that does not return a Tensor or a list of them, saying what it got', () => {
    const x = randn([2], { requiresGrad: true });
    expect(() => gradcheck((() => 3) as unknown as GradcheckFn, [x])).to.throw(
      TypeError,
      'gradcheck: fn must return a Tensor or an array of Tensors, got 3',
    );
    expect(() => gradcheck((() => [x, 'y']) as unknown as GradcheckFn, [x])).to.throw(
      TypeError,
      'gradcheck: fn must return a Tensor or an array of Tensors, got an array whose item 1 is "y"',
    );
    expect(() => gradcheck((t) => mul(t, 2), [x, 5 as unknown as Tensor])).to.throw(
      TypeError,
      'gradcheck: inputs must be Tensors, got 5 at index 1',
    );
  });

  it('refuses an input whose elements share memory, as PyTorch does, naming the input (an expanded input failed a correct op)', () => {
    const expanded = expand(randn([1, 4]), [3, 4]).requiresGrad_();
    expect(() => gradcheck((p) => mul(p, p), [randn([2], { requiresGrad: true }), expanded])).to.throw(
      RangeError,
      'gradcheck: input 1 (shape [3,4], strides [0,1]) has a dimension with stride 0. gradcheck only supports inputs that are non-overlapping to be able to compute the numerical gradients correctly; call .contiguous() on the input before passing it to gradcheck',
    );
    // Overlapping without a zero stride: rows of 2 that step by 1 share an element each.
    const overlapping = new Tensor({ data: new Float64Array([1, 2, 3, 4]), shape: [3, 2], stride: [1, 1], offset: 0 }, true);
    expect(() => gradcheck((p) => mul(p, p), [overlapping])).to.throw(
      RangeError,
      'gradcheck: input 0 (shape [3,2], strides [1,1]) has elements that share memory. gradcheck only supports inputs that are non-overlapping',
    );
    // A transposed view does not overlap and is still checked; so is a copy of the expanded input.
    expect(gradcheck((p) => mul(p, p), [randn([3, 2]).transpose(0, 1).requiresGrad_()]).passed).to.equal(true);
    expect(gradcheck((p) => mul(p, p), [expanded.contiguous().detach().requiresGrad_()]).passed).to.equal(true);
  });

  it('refuses a fn with no outputs and options that are not an object, with its own message', () => {
    const x = randn([2], { requiresGrad: true });
    expect(() => gradcheck(() => [], [x])).to.throw(RangeError, 'gradcheck: fn returned no outputs; gradcheck expects at least one output');
    expect(() => gradcheck((t) => mul(t, 2), [x], null as never)).to.throw(TypeError, 'gradcheck: options must be an object, got null');
  });

  it('handles several outputs and leaves inputs unchanged', () => {
    const x = randn([3], { requiresGrad: true });
    const before = Array.from(x.data);
    gradcheck((t) => [mul(t, t), mul(t, 3)], [x]);
    expect(Array.from(x.data)).to.deep.equal(before);
    expect(x.grad).to.equal(null);
  });

  it('works as a chai assertion, both ways', () => {
    const x = randn([2, 2], { requiresGrad: true });
    expect((t: Tensor) => mul(t, t)).to.passGradcheck([x]);
    expect((t: Tensor) => wrongSquare(t)).not.to.passGradcheck([x]);
    expect(() => expect((t: Tensor) => wrongSquare(t)).to.passGradcheck([x])).to.throw('Jacobian mismatch');
  });
});
