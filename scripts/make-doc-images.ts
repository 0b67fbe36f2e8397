/**
 * Regenerates docs/images/*.png, the mask pictures of the technique pages, from the first MNIST
 * test digits with seed 0 (so a re-run reproduces them byte for byte):
 *
 *   npx tsx scripts/make-doc-images.ts
 *
 * Scale 2 and 8 digits keep every file under ~110 KB (the PNGs are uncompressed, see
 * app/render/png.ts). Single-row techniques get the clean digits above them for comparison.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { maskTechniques } from '../app/render/mask-techniques';
import { renderMaskGrid } from '../app/render/mask-grid';
import { mnistTestDigits } from '../app/render/test-images';
import { encodePng } from '../app/render/png';

/** Image file (without .png) → the techniques it shows, top to bottom. */
const pictures: Record<string, readonly string[]> = {
  dropout: ['none', 'dropout'],
  dropout2d: ['dropout2d'],
  dropconnect: ['dropconnect'],
  'gaussian-dropout': ['none', 'gaussian-dropout'],
  uout: ['none', 'uout'],
  'alpha-dropout': ['none', 'alpha-dropout'],
  dropblock: ['none', 'dropblock'],
  'stochastic-depth': ['stochastic-depth'],
  cutout: ['none', 'cutout', 'random-erasing'],
};

const outDir = join(__dirname, '..', 'docs', 'images');
mkdirSync(outDir, { recursive: true });
const digits = mnistTestDigits(8);
for (const [file, names] of Object.entries(pictures)) {
  const techniques = names.map((name) => {
    const technique = maskTechniques.find((t) => t.name === name);
    if (!technique) throw new Error(`make-doc-images: no mask technique named ${JSON.stringify(name)}`);
    return technique;
  });
  const { image, rows } = renderMaskGrid(digits, techniques, { seed: 0, scale: 2 });
  const png = encodePng(image);
  writeFileSync(join(outDir, `${file}.png`), png);
  console.log(`docs/images/${file}.png  ${image.width}×${image.height}  ${(png.length / 1024).toFixed(1)} KB`);
  for (const row of rows) console.log(`    ${row.label}`);
}
