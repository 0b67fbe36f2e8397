import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../app/flags/usage-error';
import { helpText, parseFlags } from '../app/cli/args';
import { bufferIO } from './helpers/buffer-io';
import { runVisualize, visualizeSpec } from '../app/cli/commands/visualize';
import { maskTechniqueNames } from '../app/render/mask-techniques';
import { useTempDir, writeMnistLayout } from './helpers/data-files';

describe('dropgrad visualize', () => {
  const tempDir = useTempDir();

  it('writes a PNG of one technique and prints its size and legend', () => {
    const out = join(tempDir(), 'cutout.png'); // an existing directory: --out paths are checked, not created
    const io = bufferIO();
    const flags = parseFlags(visualizeSpec, ['--technique', 'cutout', '--out', out, '--digits', '3', '--scale', '2', '--seed', '5']);
    expect(runVisualize(flags, io)).to.equal(0);
    const png = readFileSync(out);
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).to.equal('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).to.deep.equal([2 + 3 * (56 + 2), 2 + 1 * (56 + 2)]);
    expect(io.stdout()).to.contain(`wrote ${out}: 176×60 px`).and.contain('seed 5').and.contain('row  1: cutout length=12 holes=1');
  });

  it('draws every technique by default, reproducibly from the seed', () => {
    const [a, b] = [join(tempDir(), 'a.png'), join(tempDir(), 'b.png')];
    const io = bufferIO();
    runVisualize(parseFlags(visualizeSpec, ['--out', a, '--digits', '2', '--scale', '1']), io);
    runVisualize(parseFlags(visualizeSpec, ['--out', b, '--digits', '2', '--scale', '1']), bufferIO());
    expect(readFileSync(a).equals(readFileSync(b))).to.equal(true);
    for (const name of ['none', 'dropout', 'dropblock', 'uout', 'stochastic depth']) expect(io.stdout()).to.contain(name);
  });

  it('uses the spec defaults for flags a caller leaves out', () => {
    const out = join(tempDir(), 'defaults.png');
    const io = bufferIO();
    expect(runVisualize({ out, technique: 'none' }, io)).to.equal(0);
    expect(io.stdout()).to.contain('MNIST test images 0-7, seed 0');
    expect(readFileSync(out).readUInt32BE(16)).to.equal(2 + 8 * (112 + 2));
  });

  it('--dataset fashion-mnist --data DIR draws that test set', () => {
    const dir = writeMnistLayout(tempDir(), 3);
    const [fashion, mnist] = [join(tempDir(), 'f.png'), join(tempDir(), 'm.png')];
    const io = bufferIO();
    const flags = ['--technique', 'none', '--digits', '3', '--scale', '1'];
    runVisualize(parseFlags(visualizeSpec, [...flags, '--out', fashion, '--dataset', 'fashion-mnist', '--data', dir]), io);
    runVisualize(parseFlags(visualizeSpec, [...flags, '--out', mnist]), bufferIO());
    expect(io.stdout()).to.contain(`Fashion-MNIST (${dir}) test images 0-2, seed 0`);
    expect(readFileSync(fashion).equals(readFileSync(mnist)), 'the same picture as for MNIST').to.equal(false);
  });

  it('names the valid techniques when given an unknown one', () => {
    const flags = parseFlags(visualizeSpec, ['--technique', 'dropconect', '--out', join(tempDir(), 'x.png')]);
    expect(() => runVisualize(flags, bufferIO())).to.throw(
      UsageError,
      `--technique: expected one of all, ${maskTechniqueNames.join(', ')}, got "dropconect"`,
    );
  });

  it('rejects bad numbers with the flag and range', () => {
    expect(() => runVisualize(parseFlags(visualizeSpec, ['--digits', '0']), bufferIO())).to.throw(
      UsageError,
      '--digits: expected an integer in [1, 100], got "0"',
    );
    expect(() => runVisualize(parseFlags(visualizeSpec, ['--scale', '2.5']), bufferIO())).to.throw(
      UsageError,
      '--scale: expected an integer in [1, 16]',
    );
  });

  it('has help text listing the techniques and defaults', () => {
    const help = helpText(visualizeSpec);
    expect(help)
      .to.contain('Usage: dropgrad visualize')
      .and.contain('--technique NAME')
      .and.contain('dropblock')
      .and.contain('(default masks.png)');
  });
});
