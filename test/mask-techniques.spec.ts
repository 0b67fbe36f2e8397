import { expect } from 'chai';
import { Generator, expand } from '../index';
import { maskTechniqueNames, maskTechniques } from '../app/render/mask-techniques';
import { mnistTestDigits } from '../app/render/test-images';

const digits = mnistTestDigits(4);
const rowsOf = (name: string, seed = 0) => maskTechniques.find((t) => t.name === name)!.rows(digits, new Generator(seed));
/** The mask of a row broadcast to its planes, as numbers. */
const fullMask = (name: string, row = 0) => {
  const r = rowsOf(name)[row];
  return Array.from(expand(r.mask, r.planes.shape).contiguousData());
};

describe('mask techniques', () => {
  it('has unique names, and every row has [4,1,28,28] planes and a mask broadcastable to them', () => {
    expect(new Set(maskTechniqueNames).size).to.equal(maskTechniqueNames.length);
    for (const technique of maskTechniques) {
      for (const row of technique.rows(digits, new Generator(0))) {
        expect(row.planes.shape, row.label).to.deep.equal([4, 1, 28, 28]);
        expect(() => expand(row.mask, row.planes.shape), row.label).not.to.throw();
      }
    }
  });

  it('none keeps everything as it is', () => {
    expect(fullMask('none').every((m) => m === 1)).to.equal(true);
  });

  it('cutout zeroes at most one 12×12 square per digit and keeps the rest unscaled', () => {
    const mask = fullMask('cutout');
    for (let n = 0; n < 4; n++) {
      const cellMask = mask.slice(n * 784, (n + 1) * 784);
      expect(cellMask.filter((m) => m === 0).length).to.be.within(1, 144);
      expect(cellMask.every((m) => m === 0 || m === 1)).to.equal(true);
    }
  });

  it('dropout2d: one row per channel of the shifted-copies feature map, each channel kept or dropped whole', () => {
    const rows = rowsOf('dropout2d');
    expect(rows.length).to.equal(3);
    for (const row of rows) expect(row.mask.shape).to.deep.equal([4, 1, 1, 1]);
    expect(Array.from(rows[1].planes.contiguousData()).slice(0, 4)).to.deep.equal([0, 0, 0, 0]); // shifted right: zero-filled left columns
  });

  it('dropconnect: one row per output unit, the same weight mask for every digit', () => {
    const rows = rowsOf('dropconnect');
    expect(rows.length).to.equal(3);
    for (const row of rows) expect(row.mask.shape).to.deep.equal([1, 1, 28, 28]);
    expect(Array.from(rows[0].mask.contiguousData())).not.to.deep.equal(Array.from(rows[1].mask.contiguousData()));
  });

  it('stochastic-depth: one row per block, survival decaying to 0.5, one draw per digit', () => {
    const rows = rowsOf('stochastic-depth');
    expect(rows.map((r) => r.label.match(/p_l=([\d.]+)/)![1])).to.deep.equal(['0.875', '0.75', '0.625', '0.5']);
    for (const row of rows) expect(row.mask.shape).to.deep.equal([4, 1, 1, 1]);
  });

  it('draws from the generator it is given: the same seed, the same masks', () => {
    for (const name of maskTechniqueNames) {
      const [a, b] = [rowsOf(name, 3), rowsOf(name, 3)];
      a.forEach((row, i) => {
        expect(Array.from(row.mask.contiguousData()), name).to.deep.equal(Array.from(b[i].mask.contiguousData()));
      });
    }
  });
});
