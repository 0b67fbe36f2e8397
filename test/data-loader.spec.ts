import { expect } from 'chai';
import { DataLoader } from '../app/data/data-loader';
import type { ImageDataset } from '../app/data/dataset';
import { Generator } from '../lib/random/generator';
import { cutout } from '../nn/drop/cutout';

/** n images [1,2,2]; every value of image i is i, and its label is i mod 3. */
function numbered(n: number): ImageDataset {
  const images = new Float32Array(n * 4);
  for (let i = 0; i < images.length; i++) images[i] = Math.floor(i / 4);
  return { images, labels: Uint8Array.from({ length: n }, (_, i) => i % 3), shape: [1, 2, 2], classes: 3 };
}

/** The example index of each row of a batch (its first value). */
const rows = (x: { data: ArrayLike<number> }): number[] => Array.from(x.data).filter((_, i) => i % 4 === 0);

const epoch = (loader: DataLoader): number[] => [...loader].flatMap(({ x }) => rows(x));

describe('DataLoader', () => {
  it('yields x [B,C,H,W] and y [B] in order, the last batch smaller', () => {
    const loader = new DataLoader(numbered(10), { batchSize: 4 });
    expect(loader.length).to.equal(3);
    const batches = [...loader];
    expect(batches.map(({ x }) => x.shape)).to.deep.equal([
      [4, 1, 2, 2],
      [4, 1, 2, 2],
      [2, 1, 2, 2],
    ]);
    expect(batches.map(({ y }) => y.shape)).to.deep.equal([[4], [4], [2]]);
    expect(Array.from(batches[2].x.data)).to.deep.equal([8, 8, 8, 8, 9, 9, 9, 9]);
    expect(batches.flatMap(({ y }) => Array.from(y.data))).to.deep.equal([0, 1, 2, 0, 1, 2, 0, 1, 2, 0]);
    expect(batches[0].x.dtype).to.equal('float32');
    expect(batches[0].y.dtype).to.equal('float32');
  });

  it('gives float64 batches when asked', () => {
    const [{ x, y }] = new DataLoader(numbered(2), { batchSize: 2, dtype: 'float64' });
    expect([x.dtype, y.dtype]).to.deep.equal(['float64', 'float64']);
    expect(Array.from(x.data)).to.deep.equal([0, 0, 0, 0, 1, 1, 1, 1]);
  });

  it('dropLast skips the incomplete last batch', () => {
    const loader = new DataLoader(numbered(10), { batchSize: 4, dropLast: true });
    expect(loader.length).to.equal(2);
    expect([...loader].map(({ x }) => x.shape[0])).to.deep.equal([4, 4]);
    expect(new DataLoader(numbered(8), { batchSize: 4, dropLast: true }).length).to.equal(2);
  });

  it('shuffles reproducibly from a seed, visiting every example once per epoch, with a new order each epoch', () => {
    const make = (seed: number): DataLoader =>
      new DataLoader(numbered(50), { batchSize: 8, shuffle: true, generator: new Generator(seed) });
    const a = make(7);
    const b = make(7);
    const first = epoch(a);
    expect(first).to.deep.equal(epoch(b));
    expect(first).to.not.deep.equal(epoch(make(8)));
    expect(first).to.not.deep.equal(Array.from({ length: 50 }, (_, i) => i));
    expect([...first].sort((p, q) => p - q)).to.deep.equal(Array.from({ length: 50 }, (_, i) => i));
    const second = epoch(a);
    expect(second).to.not.deep.equal(first);
    expect([...second].sort((p, q) => p - q)).to.deep.equal(Array.from({ length: 50 }, (_, i) => i));
    // Labels travel with their images.
    for (const { x, y } of a)
      rows(x).forEach((example, row) => {
        expect(y.data[row]).to.equal(example % 3);
      });
  });

  it('draws every permutation equally often (an unbiased Fisher–Yates)', () => {
    const loader = new DataLoader(numbered(3), { batchSize: 3, shuffle: true, generator: new Generator(3) });
    const counts = new Map<string, number>();
    const epochs = 6000;
    for (let e = 0; e < epochs; e++) {
      const key = epoch(loader).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).to.equal(6);
    // Each count is Binomial(6000, 1/6): sd ≈ 29; allow 5 sd.
    for (const [order, count] of counts) expect(Math.abs(count - epochs / 6), order).to.be.below(5 * 29);
  });

  it('applies the transforms to each x batch, in order', () => {
    const loader = new DataLoader(numbered(3), { batchSize: 3, transforms: [(x) => x.mul(2), (x) => x.add(1)] });
    const [{ x, y }] = loader;
    expect(rows(x)).to.deep.equal([1, 3, 5]);
    expect(Array.from(y.data)).to.deep.equal([0, 1, 2]);
  });

  it('composes with cutout, which sees the whole [B,C,H,W] batch', () => {
    const images = new Float32Array(4 * 16).fill(1);
    const dataset: ImageDataset = { images, labels: new Uint8Array(4), shape: [1, 4, 4], classes: 1 };
    const generator = new Generator(5);
    const [{ x }] = new DataLoader(dataset, { batchSize: 4, transforms: [(t) => cutout(t, 2, { holes: 1, generator })] });
    expect(x.shape).to.deep.equal([4, 1, 4, 4]);
    // Every image loses between 1 (a corner-clipped square) and 4 pixels.
    for (let image = 0; image < 4; image++) {
      const zeros = Array.from(x.data.subarray(image * 16, (image + 1) * 16)).filter((v) => v === 0).length;
      expect(zeros).to.be.within(1, 4);
    }
  });

  it('limit uses only the first examples, shuffled among themselves', () => {
    const loader = new DataLoader(numbered(20), { batchSize: 4, limit: 6, shuffle: true, generator: new Generator(1) });
    expect(loader.size).to.equal(6);
    expect(loader.length).to.equal(2);
    expect(epoch(loader).sort((p, q) => p - q)).to.deep.equal([0, 1, 2, 3, 4, 5]);
    expect(new DataLoader(numbered(3), { limit: 10 }).size).to.equal(3);
  });

  it('refuses a batch size or limit that is not a positive integer', () => {
    expect(() => new DataLoader(numbered(3), { batchSize: 0 })).to.throw('DataLoader: batchSize must be a positive integer, got 0');
    expect(() => new DataLoader(numbered(3), { limit: 1.5 })).to.throw('DataLoader: limit must be a positive integer, got 1.5');
  });

  it('refuses what is not an ImageDataset, or one whose images and labels disagree, before the first batch', () => {
    expect(() => new DataLoader(5 as unknown as ImageDataset)).to.throw(
      TypeError,
      'DataLoader: dataset must be an ImageDataset { images, labels, shape, classes }, got 5',
    );
    const data = numbered(3);
    expect(() => new DataLoader({ ...data, images: [0, 1] } as unknown as ImageDataset)).to.throw(
      TypeError,
      'DataLoader: dataset.images must be a Float32Array, got [0,1]',
    );
    expect(() => new DataLoader({ ...data, labels: [0, 1, 2] } as unknown as ImageDataset)).to.throw(
      TypeError,
      'DataLoader: dataset.labels must be a Uint8Array, got [0,1,2]',
    );
    expect(() => new DataLoader({ ...data, shape: [1, 2] } as unknown as ImageDataset)).to.throw(
      RangeError,
      'DataLoader: dataset.shape must be [C,H,W] of positive integers, got [1,2]',
    );
    // Three labels but images for two: the third batch row would be read past the end, silently.
    expect(() => new DataLoader({ ...data, images: data.images.slice(0, 8) })).to.throw(
      RangeError,
      'DataLoader: dataset.images holds 8 values, but 3 labels of [1,2,2] images need 12',
    );
  });
});
