import { expect } from 'chai';
import { gradcheckSuite, runGradcheckSuite } from '../app/gradcheck-suite';

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

  it('filters by name', () => {
    expect(runGradcheckSuite('dropblock').map((r) => r.name)).to.deep.equal([
      'dropBlock2d (p 0.3, block 3)',
      'DropBlock2d (p 0.3, block 3)',
      'DropBlock2d (p 0.3, block 2, shared mask)',
    ]);
  });
});
