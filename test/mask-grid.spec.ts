import { expect } from 'chai';
import { Tensor, ones, tensor, zeros } from '../index';
import { type MaskRow, maskedPixelColor, renderMaskGrid, renderMaskRows } from '../app/render/mask-grid';
import { maskTechniques } from '../app/render/mask-techniques';
import type { RgbImage } from '../app/render/rgb-image';
import { mnistTestDigits } from '../app/render/test-images';

/** The RGB bytes of cell (row, column) of a grid of 28×28 images. */
function cell(image: RgbImage, row: number, column: number, scale: number, gutter: number): Uint8Array {
  const side = 28 * scale;
  const out = new Uint8Array(side * side * 3);
  const [left, top] = [gutter + column * (side + gutter), gutter + row * (side + gutter)];
  for (let y = 0; y < side; y++)
    out.set(image.data.subarray(((top + y) * image.width + left) * 3, ((top + y) * image.width + left + side) * 3), y * side * 3);
  return out;
}

const byName = (...names: string[]) => maskTechniques.filter((t) => names.includes(t.name));

describe('mask grid', () => {
  const digits = mnistTestDigits(3);

  it('is gutter + columns·(28·scale + gutter) wide and gutter + rows·(28·scale + gutter) high', () => {
    const { image, rows } = renderMaskGrid(digits, byName('none', 'cutout', 'stochastic-depth'), { scale: 2, gutter: 3 });
    expect(rows.length).to.equal(1 + 1 + 4); // stochastic depth: one row per block
    expect([image.width, image.height]).to.deep.equal([3 + 3 * (56 + 3), 3 + 6 * (56 + 3)]);
    expect(image.data.length).to.equal(image.width * image.height * 3);
  });

  it('draws a dropped cell differently from the clean one, with red where the mask is 0', () => {
    const { image } = renderMaskGrid(digits, byName('none', 'cutout'), { scale: 1, gutter: 2 });
    for (let n = 0; n < 3; n++) {
      const [clean, cut] = [cell(image, 0, n, 1, 2), cell(image, 1, n, 1, 2)];
      expect(Buffer.from(clean).equals(Buffer.from(cut)), `digit ${n}`).to.equal(false);
      const reds = Array.from({ length: clean.length / 3 }, (_, p) => cut[3 * p] > cut[3 * p + 1] + 50).filter(Boolean).length;
      expect(reds, `red pixels of digit ${n}`).to.be.within(1, 144); // at most one 12×12 hole
      const grays = Array.from(
        { length: clean.length / 3 },
        (_, p) => clean[3 * p] === clean[3 * p + 1] && clean[3 * p + 1] === clean[3 * p + 2],
      ).every(Boolean);
      expect(grays, 'the clean row is all gray').to.equal(true);
    }
  });

  it('is reproducible from the seed, and each technique draws the same row alone or among others', () => {
    const a = renderMaskGrid(digits, maskTechniques, { seed: 7, scale: 1 }).image.data;
    const b = renderMaskGrid(digits, maskTechniques, { seed: 7, scale: 1 }).image.data;
    const c = renderMaskGrid(digits, maskTechniques, { seed: 8, scale: 1 }).image.data;
    expect(Buffer.from(a).equals(Buffer.from(b))).to.equal(true);
    expect(Buffer.from(a).equals(Buffer.from(c))).to.equal(false);
    const alone = renderMaskGrid(digits, byName('dropblock'), { seed: 7, scale: 1, gutter: 2 }).image;
    const all = renderMaskGrid(digits, maskTechniques, { seed: 7, scale: 1, gutter: 2 });
    const row = all.rows.findIndex((r) => r.label.startsWith('dropblock'));
    expect(Buffer.from(cell(all.image, row, 1, 1, 2)).equals(Buffer.from(cell(alone, 0, 1, 1, 2)))).to.equal(true);
  });

  it('colours: gain scales the gray (clipped), 0 is red ramped by the pixel, negative gain is black', () => {
    expect(maskedPixelColor(0, 1)).to.deep.equal([0, 0, 0]);
    const [inkClean] = maskedPixelColor(1, 1);
    const [inkDoubled] = maskedPixelColor(1, 2);
    expect(inkClean).to.be.within(160, 180);
    expect(inkDoubled).to.equal(255);
    expect(maskedPixelColor(1, -0.5)).to.deep.equal([0, 0, 0]);
    const [bgR, bgG] = maskedPixelColor(0, 0);
    const [inkR, inkG] = maskedPixelColor(1, 0);
    expect(bgR).to.be.above(bgG);
    expect(inkR).to.be.above(bgR);
    expect(inkR).to.be.above(inkG);
  });

  it('broadcasts a per-sample mask over the cell', () => {
    const planes = Tensor.fromData(new Float64Array(2 * 28 * 28).fill(1), [2, 1, 28, 28]);
    const rows: MaskRow[] = [{ label: 'per sample', planes, mask: tensor([0, 1]).reshape([2, 1, 1, 1]) }];
    const image = renderMaskRows(rows, { scale: 1, gutter: 0 });
    const [dropped, kept] = [cell(image, 0, 0, 1, 0), cell(image, 0, 1, 1, 0)];
    expect(new Set(Array.from({ length: 784 }, (_, p) => dropped.subarray(3 * p, 3 * p + 3).join())).size).to.equal(1);
    expect(dropped[0]).to.be.above(dropped[1]);
    expect(new Set(kept).size).to.equal(1);
  });

  it('rejects no rows, rows of different shapes, and bad layouts', () => {
    const row = (planes: Tensor): MaskRow => ({ label: 'r', planes, mask: ones([1, 1, 1, 1]) });
    expect(() => renderMaskRows([])).to.throw(RangeError, 'no rows');
    expect(() => renderMaskRows([row(zeros([2, 1, 28, 28])), row(zeros([3, 1, 28, 28]))])).to.throw(RangeError, 'row "r" has [3,1,28,28]');
    expect(() => renderMaskRows([row(zeros([2, 1, 28, 28]))], { scale: 0 })).to.throw(RangeError, 'scale');
  });
});
