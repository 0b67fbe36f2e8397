import { expect } from 'chai';
import { Generator, gradcheck, manualSeed, ones, randn, type Tensor } from '../index';
import { Cutout, cutout, cutoutMask } from '../nn/drop/cutout';
import { mean } from './helpers/stats';

/** The bounding box of the zeros of an H×W plane, or null. */
function zeroBox(plane: ArrayLike<number>, h: number, w: number): { rows: number; cols: number; count: number } | null {
  let [top, bottom, left, right, count] = [h, -1, w, -1, 0];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      if (plane[y * w + x] !== 0) continue;
      count++;
      [top, bottom, left, right] = [Math.min(top, y), Math.max(bottom, y), Math.min(left, x), Math.max(right, x)];
    }
  return count === 0 ? null : { rows: bottom - top + 1, cols: right - left + 1, count };
}

describe('Cutout', () => {
  beforeEach(() => manualSeed(8));

  for (const length of [5, 6]) {
    it(`cuts one square of side exactly ${length} (when it does not touch the border), clipped otherwise`, () => {
      const [h, w] = [20, 20];
      const g = new Generator(3);
      let interior = 0;
      for (let trial = 0; trial < 200; trial++) {
        const box = zeroBox(cutoutMask(ones([1, h, w]), length, { generator: g }).data, h, w)!;
        expect(box.count).to.equal(box.rows * box.cols); // a (clipped) rectangle
        expect(box.rows).to.be.at.most(length);
        expect(box.cols).to.be.at.most(length);
        if (box.rows === length && box.cols === length) interior++;
      }
      expect(interior).to.be.greaterThan(50);
    });
  }

  it('centres are uniform over the image, so border squares are clipped (mean hole area < length²)', () => {
    const [h, w, length] = [10, 10, 6];
    const masks = cutoutMask(ones([4000, 1, h, w]), length).data;
    const holeArea = (1 - mean(masks)) * h * w;
    // Expected clipped side per axis: mean over centres c of |[c−3, c+3) ∩ [0, 10)|.
    const side = Array.from({ length: h }, (_, c) => Math.min(h, c + 3) - Math.max(0, c - 3)).reduce((a, b) => a + b) / h;
    expect(holeArea).to.be.closeTo(side * side, 0.3);
  });

  it('uses the same holes in every channel, a different draw per image, `holes` holes', () => {
    const y = cutout(ones([2, 3, 12, 12]), 4, { holes: 2 });
    const plane = (n: number, c: number): number[] => Array.from(y.data.subarray((n * 3 + c) * 144, (n * 3 + c + 1) * 144));
    expect(plane(0, 1)).to.deep.equal(plane(0, 0));
    expect(plane(0, 2)).to.deep.equal(plane(0, 0));
    expect(plane(1, 0)).to.not.deep.equal(plane(0, 0));
  });

  it('is the identity in eval mode, validates arguments and shapes', () => {
    const x = randn([1, 1, 4, 4]);
    expect(new Cutout(2).eval().forward(x)).to.equal(x);
    expect(cutout(x, 2, { training: false })).to.equal(x);
    expect(() => cutout(x, 0)).to.throw('cutout: length must be a positive integer, got 0');
    expect(() => new Cutout(16, { holes: 1.5 })).to.throw('Cutout: holes must be a positive integer, got 1.5');
    expect(() => cutout(randn([4, 4]))).to.throw('cutout: input must be an image [C,H,W] or a batch [N,C,H,W], got [4,4]');
  });

  it('gradcheck with a fixed seed', () => {
    gradcheck((t: Tensor) => cutout(t, 3), [randn([2, 2, 5, 5], { requiresGrad: true })], { seed: 1 });
  });
});
