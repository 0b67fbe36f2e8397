import { expect } from 'chai';
import { Generator, gradcheck, manualSeed, ones, randn, type Tensor } from '../index';
import { DropBlock2d, dropBlock2d, dropBlockGamma, dropBlockMask } from '../nn/drop/dropblock';
import { mean, zeroFraction } from './helpers/stats';

/** True when the zero pixel (y, x) lies in some all-zero b×b window that fits inside the map. */
function coveredByZeroBlock(plane: ArrayLike<number>, h: number, w: number, b: number, y: number, x: number): boolean {
  for (let i = Math.max(0, y - b + 1); i <= Math.min(y, h - b); i++) {
    for (let j = Math.max(0, x - b + 1); j <= Math.min(x, w - b); j++) {
      let allZero = true;
      for (let u = 0; u < b && allZero; u++) for (let v = 0; v < b && allZero; v++) allZero = plane[(i + u) * w + j + v] === 0;
      if (allZero) return true;
    }
  }
  return false;
}

/** The exact expected drop fraction: pixel (y, x) survives iff none of the seeds covering it fires. */
function expectedDropFraction(gamma: number, h: number, w: number, b: number): number {
  const covering = (p: number, size: number): number => Math.min(p, size - b) - Math.max(0, p - b + 1) + 1;
  let total = 0;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) total += 1 - (1 - gamma) ** (covering(y, h) * covering(x, w));
  return total / (h * w);
}

describe('DropBlock2d', () => {
  beforeEach(() => manualSeed(6));

  it("computes the paper's γ with the valid-region factor", () => {
    // keep 0.9, block 7, 32×32: 0.1/49 · 1024/(26·26)
    expect(dropBlockGamma(0.1, 7, 32, 32)).to.be.closeTo((0.1 / 49) * (1024 / 676), 1e-15);
    // A block larger than the map is clipped to it: one seed position, γ = p.
    expect(dropBlockGamma(0.3, 7, 4, 4)).to.be.closeTo(0.3, 1e-15);
  });

  for (const blockSize of [3, 4]) {
    it(`drops only whole ${blockSize}×${blockSize} blocks that fit in the map`, () => {
      const [h, w] = [13, 11];
      const mask = dropBlockMask(ones([6, 1, h, w]), 0.15, { blockSize }).data;
      let zeros = 0;
      for (let plane = 0; plane < 6; plane++) {
        const p = mask.subarray(plane * h * w, (plane + 1) * h * w);
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            if (p[y * w + x] !== 0) continue;
            zeros++;
            expect(coveredByZeroBlock(p, h, w, blockSize, y, x), `pixel (${y},${x}) of plane ${plane}`).to.equal(true);
          }
        }
      }
      expect(zeros).to.be.greaterThan(0);
    });
  }

  it('drops close to p = 1 − keep_prob on a large map (and exactly the expected fraction)', () => {
    const [n, h, w, b] = [16, 64, 64, 5];
    const mask = dropBlockMask(ones([n, 1, h, w]), 0.1, { blockSize: b }).data;
    const observed = zeroFraction(mask);
    const expected = expectedDropFraction(dropBlockGamma(0.1, b, h, w), h, w, b);
    expect(observed).to.be.closeTo(expected, 0.005);
    // Overlapping blocks make the paper's estimate slightly high; on this map it is within 10%.
    expect(observed).to.be.closeTo(0.1, 0.01);
  });

  it('renormalises by count/count_ones so the mask averages exactly 1', () => {
    const mask = dropBlockMask(ones([4, 1, 20, 20]), 0.3, { blockSize: 3 }).data;
    expect(mean(mask)).to.be.closeTo(1, 1e-12);
  });

  it('returns zeros, not NaN, when everything is dropped', () => {
    const y = dropBlock2d(randn([2, 3, 5, 5]), 1, { blockSize: 2 });
    expect(y.data.every((v) => v === 0)).to.equal(true);
    // A block as large as the map has one seed position, so with p = 0.99 it almost always
    // drops the whole map: count_ones is 0 and the guard must hold.
    const mask = dropBlockMask(ones([1, 1, 3, 3]), 0.99, { blockSize: 3, generator: new Generator(1) });
    expect(Array.from(mask.data)).to.deep.equal(new Array(9).fill(0));
  });

  it('draws one mask per (sample, channel) by default, as the authors and torchvision do', () => {
    const x = ones([3, 4, 8, 8]);
    expect(dropBlockMask(x, 0.3, { blockSize: 3 }).shape).to.deep.equal([3, 4, 8, 8]);
    const y = new DropBlock2d(0.3, { blockSize: 3 }).forward(x).data;
    const planes = Array.from({ length: 12 }, (_, i) => Array.from(y.subarray(i * 64, (i + 1) * 64)).join());
    expect(new Set(planes).size).to.be.greaterThan(6);
  });

  it('sharedAcrossChannels draws one mask per sample for all its channels; batchwise one for the batch', () => {
    const x = ones([3, 4, 8, 8]);
    expect(dropBlockMask(x, 0.3, { blockSize: 3, sharedAcrossChannels: true }).shape).to.deep.equal([3, 1, 8, 8]);
    expect(dropBlockMask(x, 0.3, { blockSize: 3, batchwise: true }).shape).to.deep.equal([1, 4, 8, 8]);
    expect(dropBlockMask(x, 0.3, { blockSize: 3, batchwise: true, sharedAcrossChannels: true }).shape).to.deep.equal([1, 1, 8, 8]);
    const y = new DropBlock2d(0.3, { blockSize: 3, sharedAcrossChannels: true }).forward(x).data;
    for (let c = 1; c < 4; c++) expect(Array.from(y.subarray(c * 64, (c + 1) * 64))).to.deep.equal(Array.from(y.subarray(0, 64)));
  });

  it('with blockSize 1 and one mask per channel, is Dropout with a count/kept rescale (each unit dropped independently)', () => {
    const [n, c, h, w] = [50, 8, 10, 10];
    const mask = dropBlockMask(ones([n, c, h, w]), 0.2, { blockSize: 1 }).data;
    // γ = p: every unit is its own seed, so the drop rate is p and neighbouring channels do not agree.
    expect(zeroFraction(mask)).to.be.closeTo(0.2, 0.01);
    let agree = 0;
    for (let i = 0; i < n * h * w; i++) if ((mask[i] === 0) === (mask[i + h * w] === 0)) agree++;
    expect(agree / (n * h * w)).to.be.closeTo(0.8 * 0.8 + 0.2 * 0.2, 0.03);
  });

  it('is the identity in eval mode and when training is false', () => {
    const x = randn([1, 1, 6, 6]);
    expect(new DropBlock2d(0.1, { blockSize: 3 }).eval().forward(x)).to.equal(x);
    expect(dropBlock2d(x, 0.1, { training: false })).to.equal(x);
  });

  it('validates its arguments with the values', () => {
    expect(() => new DropBlock2d(1.2)).to.throw('DropBlock2d: p must be a probability in [0, 1], got 1.2');
    expect(() => new DropBlock2d(0.1, { blockSize: 0 })).to.throw('DropBlock2d: blockSize must be a positive integer, got 0');
    expect(() => dropBlock2d(randn([3, 8, 8]))).to.throw('dropBlock2d: input must be [N,C,H,W], got [3,8,8]');
    const layer = new DropBlock2d(0.1);
    expect(() => (layer.p = -0.5)).to.throw('DropBlock2d: p must be a probability in [0, 1], got -0.5');
    expect(layer.p).to.equal(0.1);
  });

  it('gradcheck in training mode with a fixed seed (odd and even blocks)', () => {
    for (const blockSize of [2, 3]) {
      const generator = new Generator(0);
      const layer = new DropBlock2d(0.3, { blockSize, generator });
      const x = randn([2, 2, 5, 5], { requiresGrad: true });
      gradcheck(
        (t: Tensor) => {
          generator.manualSeed(13);
          return layer.forward(t);
        },
        [x],
      );
      expect(layer.lastMask!.data.some((v) => v === 0)).to.equal(true);
    }
  });
});
