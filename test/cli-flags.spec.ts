import { expect } from 'chai';
import { runCli as run } from './helpers/buffer-io';

describe('dropgrad CLI: no flag is silently overridden or wrapped', () => {
  it('refuses a flag given twice, naming it and both values (no "last one wins")', async () => {
    expect(await run('train', '--epochs', '2', '--epochs', '3')).to.include({
      code: 2,
      out: '',
      err: 'dropgrad: --epochs: given twice ("2" and "3"); give it once\n',
    });
    expect(await run('compare', '--json', '--json')).to.include({ code: 2, err: 'dropgrad: --json: given twice; give it once\n' });
    // --lr=-1 and --lr -1 are the same flag.
    expect((await run('train', '--lr=0.1', '--lr', '-1')).err).to.equal('dropgrad: --lr: given twice ("0.1" and "-1"); give it once\n');
  });

  it('refuses seeds the generator cannot tell apart: outside [0, 2^32 - 1]', async () => {
    for (const [command, seed] of [
      ['train', '4294967296'],
      ['train', '-1'],
      ['visualize', '4294967296'],
    ]) {
      expect(await run(command, '--seed', seed), `${command} --seed ${seed}`).to.include({
        code: 2,
        out: '',
        err: `dropgrad: --seed: expected an integer in [0, 4294967295], got "${seed}"\n`,
      });
    }
    // variance-shift runs seeds K … K+N−1 and shuffles by seed + 1, as compare does: the last one must fit too.
    expect((await run('variance-shift', '--seed-offset', '-5')).err).to.equal(
      'dropgrad: --seed-offset: expected an integer in [0, 4294967294], got "-5"\n',
    );
    expect((await run('variance-shift', '--seed-offset', '4294967294', '--seeds', '2')).err).to.equal(
      'dropgrad: --seed-offset: expected an integer in [0, 4294967293], got "4294967294"\n',
    );
  });
});
