import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFlags } from '../app/cli/args';
import { compareSpec, runCompare, techniques } from '../app/cli/commands/compare';
import { bufferIO } from './helpers/buffer-io';
import { useTempDir } from './helpers/data-files';

describe('dropgrad compare', function () {
  this.timeout(120000);
  const tempDir = useTempDir();

  it('trains each technique for each seed and writes the table and the SVG loss curves', async () => {
    const io = bufferIO();
    const out = join(tempDir(), 'report.md');
    const flags = parseFlags(compareSpec, [
      '--techniques',
      'none,dropout',
      '--seeds',
      '2',
      '--epochs',
      '1',
      '--limit',
      '96',
      '--test-limit',
      '100',
      '--batch-size',
      '32',
      '--out',
      out,
    ]);
    expect(await runCompare(flags, io)).to.equal(0);
    expect(io.stdout().match(/seed \d: test accuracy/g)).to.have.length(4);
    const report = readFileSync(out, 'utf8');
    expect(report).to.match(/\| none \| — \| [\d.]+ ± [\d.]+ \| [\d.]+ \|/);
    expect(report).to.match(/\| dropout \| --dropout 0\.5 \| [\d.]+ ± [\d.]+ \| [\d.]+ \|/);
    const svg = readFileSync(join(tempDir(), 'report-loss.svg'), 'utf8');
    expect(svg).to.contain('<svg').and.contain('>dropout</text>');
    expect(svg.match(/<polyline/g)).to.have.length(2);
  });

  it('names the valid techniques when given an unknown one', async () => {
    const flags = parseFlags(compareSpec, ['--techniques', 'none,dropot']);
    let message = '';
    await runCompare(flags, bufferIO()).catch((e: Error) => (message = e.message));
    expect(message).to.equal(`--techniques: unknown technique "dropot"; expected some of ${Object.keys(techniques).join(', ')}`);
  });

  it('takes only its own technique names (toString, __proto__ ran as techniques) and refuses one listed twice', async () => {
    const messageOf = async (list: string): Promise<string> => {
      let message = '';
      await runCompare(parseFlags(compareSpec, ['--techniques', list]), bufferIO()).catch((e: Error) => (message = e.message));
      return message;
    };
    for (const name of ['toString', '__proto__', 'constructor']) {
      expect(await messageOf(`none,${name}`)).to.equal(
        `--techniques: unknown technique "${name}"; expected some of ${Object.keys(techniques).join(', ')}`,
      );
    }
    expect(await messageOf('dropout,none,dropout')).to.equal('--techniques: "dropout" is listed twice');
  });
});
