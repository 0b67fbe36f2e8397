import { expect } from 'chai';
import { expandSeedsToBlocks } from '../kernels/dropblock-mask';
import { Generator } from '../lib/random/generator';

function expand(seeds: number[], h: number, w: number, b: number, planes = 1): number[] {
  const out = new Uint8Array(seeds.length);
  expandSeedsToBlocks(Uint8Array.from(seeds), planes, h, w, b, out);
  return Array.from(out);
}

describe('expandSeedsToBlocks', () => {
  it('grows one seed into the b×b block it is the top-left corner of (odd and even b)', () => {
    const seeds = new Array(25).fill(0);
    seeds[1 * 5 + 1] = 1;
    for (const b of [2, 3]) {
      const out = expand(seeds, 5, 5, b);
      for (let y = 0; y < 5; y++)
        for (let x = 0; x < 5; x++) {
          const inside = y >= 1 && y < 1 + b && x >= 1 && x < 1 + b;
          expect(out[y * 5 + x], `b=${b} (${y},${x})`).to.equal(inside ? 1 : 0);
        }
    }
  });

  it('takes the union of overlapping blocks and keeps planes independent', () => {
    // 2 planes of 3×4; plane 0 has seeds at (0,0) and (1,2); plane 1 has none.
    const seeds = [1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, ...new Array(12).fill(0)];
    expect(expand(seeds, 3, 4, 2, 2)).to.deep.equal([1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, ...new Array(12).fill(0)]);
  });

  it('equals the definition (the max over each window) on random seed maps, for block sizes up to past the map', () => {
    const g = new Generator(11);
    for (const [h, w] of [
      [1, 1],
      [5, 7],
      [9, 4],
      [13, 13],
    ]) {
      for (const b of [1, 2, 3, 6, 14]) {
        const planes = 3;
        const seeds = Array.from({ length: planes * h * w }, () => (g.random() < 0.15 ? 1 : 0));
        const expected: number[] = [];
        for (let plane = 0; plane < planes; plane++)
          for (let y = 0; y < h; y++)
            for (let x = 0; x < w; x++) {
              let m = 0;
              for (let i = Math.max(0, y - b + 1); i <= y; i++)
                for (let j = Math.max(0, x - b + 1); j <= x; j++) m = Math.max(m, seeds[plane * h * w + i * w + j]);
              expected.push(m);
            }
        expect(expand(seeds, h, w, b, planes), `${h}×${w}, b=${b}`).to.deep.equal(expected);
      }
    }
  });
});
