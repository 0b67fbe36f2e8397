import { expect } from 'chai';
import { join } from 'node:path';
import { main } from '../app/cli/main';
import { parseNumber } from '../app/cli/args';
import { bufferIO } from './helpers/buffer-io';
import { useTempDir } from './helpers/data-files';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = bufferIO();
  const code = await main(argv, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe('dropgrad CLI: every flag is checked before any work', () => {
  const tempDir = useTempDir();

  it('parses numbers strictly: no hex, no spaces, no Infinity; safe integers only', () => {
    for (const bad of ['0x1', ' 0.5 ', '0.5 ', '', 'Infinity', '1_000', '0b1', '.']) {
      expect(() => parseNumber('dropout', bad, { min: 0, max: 1 }), JSON.stringify(bad)).to.throw(`--dropout: expected a number in [0, 1], got ${JSON.stringify(bad)}`);
    }
    expect(() => parseNumber('epochs', '1e300', { integer: true, min: 1 })).to.throw('--epochs: expected an integer in [1, ∞], got "1e300"');
    expect([' ', '-.5', '+2', '1e-3', '5.', '.25'].slice(1).map((v) => parseNumber('x', v))).to.deep.equal([-0.5, 2, 0.001, 5, 0.25]);
  });

  it('lets negative values reach the range checks instead of "argument is ambiguous"', async () => {
    expect(await run('train', '--lr', '-1')).to.include({ code: 2, err: 'dropgrad: --lr: expected a number in [0, ∞], got "-1"\n' });
    expect(await run('train', '--epochs', '-1')).to.include({ code: 2, err: 'dropgrad: --epochs: expected an integer in [1, ∞], got "-1"\n' });
    expect(await run('compare', '--seeds', '-3')).to.include({ code: 2, err: 'dropgrad: --seeds: expected an integer in [1, ∞], got "-3"\n' });
    expect(await run('train', '--seed', '-1', '--dropout', '0x1')).to.include({ code: 2, err: 'dropgrad: --dropout: expected a number in [0, 1], got "0x1"\n' });
    // A flag after a flag that needs a value is still a missing value, not a value.
    expect((await run('train', '--save', '--resume', 'x')).err).to.equal('dropgrad: --save: expected FILE, got the flag --resume\n');
  });
});
