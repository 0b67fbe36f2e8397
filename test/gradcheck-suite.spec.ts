import { expect } from 'chai';
import { type GradcheckOrder, op } from '../app/gradcheck-suite/check';
import { runChecks } from '../app/gradcheck-suite/run-checks';
import { gradcheckSuite, runGradcheckSuite } from '../app/gradcheck-suite/suite';
import { randn } from '../index';
import { rawSquare } from './helpers/raw-square';

describe('gradcheck suite (dropgrad gradcheck)', () => {
  it('covers every drop technique and the kernels, with unique names', () => {
    const names = gradcheckSuite.map((c) => c.name);
    expect(new Set(names).size).to.equal(names.length);
    for (const required of [
      'Dropout',
      'Dropout2d',
      'GaussianDropout',
      'Uout',
      'AlphaDropout',
      'DropConnectLinear',
      'DropBlock2d',
      'DropPath',
      'Cutout',
      'RandomErasing',
      'BasicBlock',
      'Bottleneck',
      'conv2d',
      'maxPool2d',
      'avgPool2d',
      'batchNorm',
    ]) {
      expect(
        names.some((n) => n.startsWith(required)),
        required,
      ).to.equal(true);
    }
  });

  it('passes every check on the reference kernels', () => {
    const failures = runGradcheckSuite().filter((r) => !r.passed);
    expect(failures.map((f) => `${f.name}: ${f.message}`)).to.deep.equal([]);
  });

  it('passes every check at second order (gradgradcheck), the drop techniques with their masks replayed', () => {
    const failures = runGradcheckSuite('', undefined, 2).filter((r) => !r.passed);
    expect(failures.map((f) => `${f.name}: ${f.message}`)).to.deep.equal([]);
  });

  it('at second order, fails an op whose backward is on raw arrays that passes at first order', () => {
    const entry = op('rawSquare', () => [randn([3], { requiresGrad: true })], rawSquare);
    const [first] = runChecks([entry], 1);
    const [second] = runChecks([entry], 2);
    expect(first.passed, first.message).to.equal(true);
    expect(second.passed).to.equal(false);
    expect(second.message).to.match(/^gradgradcheck: /);
  });

  it('refuses an order other than 1 or 2 before running anything', () => {
    let ran = false;
    const entry = {
      name: 'never',
      run: () => {
        ran = true;
        throw new Error('ran');
      },
    };
    expect(() => runChecks([entry], 3 as GradcheckOrder)).to.throw(RangeError, 'gradcheck suite: order must be 1 or 2, got 3');
    expect(ran).to.equal(false);
  });

  it('filters by name', () => {
    expect(runGradcheckSuite('dropblock').map((r) => r.name)).to.deep.equal([
      'dropBlock2d (p 0.3, block 3)',
      'DropBlock2d (p 0.3, block 3)',
      'DropBlock2d (p 0.3, block 2, shared mask)',
    ]);
  });
});
