import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

describe('examples', () => {
  it('examples/custom-op.ts (shown in docs/autograd.md) runs and its gradcheck passes', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, '../examples/custom-op.ts')], { encoding: 'utf8' });
    expect(out).to.contain('gradcheck passed for 1 input(s)');
  });
});
