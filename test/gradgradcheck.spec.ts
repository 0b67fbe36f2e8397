import chai, { expect } from 'chai';
import { rawSquare } from './helpers/raw-square';
import { GradcheckError, type Tensor, chaiGradcheck, gradgradcheck, manualSeed, mul, rand, randn } from '../index';

chai.use(chaiGradcheck);

const leaf = (shape: number[]) => randn(shape, { requiresGrad: true });

describe('gradgradcheck (PyTorch torch.autograd.gradgradcheck)', () => {
  beforeEach(() => manualSeed(5));

  it('passes for functions whose backward is made of differentiable ops, one or several inputs and outputs', () => {
    expect(gradgradcheck((x) => mul(mul(x, x), x), [leaf([2, 3])]).passed).to.equal(true);
    expect(gradgradcheck((a, b) => mul(a, b), [leaf([3]), leaf([3])]).passed).to.equal(true);
    expect(gradgradcheck((a, b) => [mul(a, a), mul(a, b)], [leaf([3]), leaf([3])]).passed).to.equal(true);
    expect(gradgradcheck((x) => mul(mul(x, x), x), [leaf([4])], { fastMode: true }).passed).to.equal(true);
  });

  it('uses the given gradOutputs, and checks them', () => {
    const x = leaf([3]);
    expect(gradgradcheck((t) => mul(t, t), [x], { gradOutputs: [randn([3], { requiresGrad: true })] }).passed).to.equal(true);
    expect(() => gradgradcheck((t) => mul(t, t), [x], { gradOutputs: [randn([4])] })).to.throw(
      'gradgradcheck: gradOutputs[0] has shape [4], expected [3]',
    );
    expect(() => gradgradcheck((t) => mul(t, t), [x], { gradOutputs: [] })).to.throw(
      'gradgradcheck: gradOutputs must be an array of 1 tensor(s)',
    );
    expect(() => gradgradcheck((t) => mul(t, t), [x], { gradOutputs: [3 as never] })).to.throw(
      'gradgradcheck: gradOutputs[0] must be a Tensor, got 3',
    );
    expect(() => gradgradcheck((t) => mul(t, t), [x], { gradOutput: [] } as never)).to.throw("gradgradcheck: unknown option 'gradOutput'");
  });

  it('catches a backward written on raw arrays: its gradient carries no graph, so the second derivative reads 0', () => {
    const x = leaf([3]);
    expect(() => rawSquare(x).sum().backward()).to.not.throw();
    const report = gradgradcheck(rawSquare, [x], { raiseException: false });
    expect(report.passed).to.equal(false);
    expect(report.message).to.match(/^gradgradcheck: gradcheck failed .*input 0 \(shape \[3\]\): Jacobian mismatch/);
    expect(() => gradgradcheck(rawSquare, [x])).to.throw(GradcheckError, 'gradgradcheck');
  });

  it('draws its default gradOutputs from a generator of its own, leaving the default one alone', () => {
    manualSeed(9);
    gradgradcheck((t) => mul(t, t), [randn([2], { requiresGrad: true })]);
    const afterCheck = Array.from(rand([4]).data);
    manualSeed(9);
    randn([2]);
    expect(afterCheck).to.deep.equal(Array.from(rand([4]).data));
  });

  it('is a chai assertion beside passGradcheck', () => {
    expect((x: Tensor) => mul(mul(x, x), x)).to.passGradgradcheck([leaf([3])]);
    expect(rawSquare).to.passGradcheck([leaf([3])]);
    expect(rawSquare).to.not.passGradgradcheck([leaf([3])]);
  });
});
