import { expect } from 'chai';
import { join } from 'node:path';
import { validationSplit, validationSplitSeed } from '../app/data/validation-split';
import { imageSubset, imageDataset } from '../app/data/dataset';
import { loadData } from '../app/data/data-splits';
import { imageIndexOf, useTempDir, writeIndexedIdxSplit } from './helpers/data-files';

const intersection = (a: ArrayLike<number>, b: ArrayLike<number>): number[] => {
  const set = new Set(Array.from(b));
  return Array.from(a).filter((i) => set.has(i));
};

describe('validationSplit: a validation split carved from the training set', () => {
  it('draws validationSize distinct indices, ascending, disjoint from the training subset: the first trainLimit left', () => {
    const { validation, train } = validationSplit(1000, { validationSize: 300, trainLimit: 250 });
    expect(validation.length).to.equal(300);
    expect(new Set(validation).size).to.equal(300);
    expect(train.length).to.equal(250);
    expect(intersection(train, validation)).to.deep.equal([]);
    for (const indices of [validation, train]) {
      expect(Array.from(indices).every((v, i) => i === 0 || v > indices[i - 1])).to.equal(true);
      expect(Math.max(...indices)).to.be.below(1000);
    }
    // The first 250 indices not drawn: every index below the last one is in one of the two.
    const last = train[train.length - 1];
    expect(
      intersection(
        validation,
        Array.from({ length: last }, (_, i) => i),
      ).length + train.length,
    ).to.equal(last + 1);
    // Drawn from the whole set, not from its start.
    expect(validation[validation.length - 1]).to.be.above(900);
  });

  it('is the same for the same seed, whatever trainLimit; another seed draws other images', () => {
    const a = validationSplit(1000, { validationSize: 100, trainLimit: 50 });
    const b = validationSplit(1000, { validationSize: 100, trainLimit: 500 });
    expect(Array.from(b.validation)).to.deep.equal(Array.from(a.validation));
    expect(Array.from(b.train.subarray(0, 50))).to.deep.equal(Array.from(a.train));
    expect(Array.from(validationSplit(1000, { validationSize: 100, seed: validationSplitSeed }).validation)).to.deep.equal(
      Array.from(a.validation),
    );
    const other = validationSplit(1000, { validationSize: 100, seed: validationSplitSeed + 1 }).validation;
    expect(intersection(other, a.validation).length).to.be.below(40);
    // Without trainLimit, every image the split left.
    expect(validationSplit(1000, { validationSize: 100 }).train.length).to.equal(900);
  });

  it('refuses a split that does not fit, and bad arguments, naming them', () => {
    expect(() => validationSplit(1000, { validationSize: 900, trainLimit: 101 })).to.throw(
      RangeError,
      'validationSplit: 900 validation images and 101 training images need 1001 images, but the training set has 1000',
    );
    expect(() => validationSplit(1000, { validationSize: 1000 })).to.throw(
      RangeError,
      'validationSplit: 1000 validation images and at least 1 training image need 1001 images, but the training set has 1000',
    );
    expect(() => validationSplit(1000, { validationSize: 0 })).to.throw(
      RangeError,
      'validationSplit: validationSize must be a positive integer, got 0',
    );
    expect(() => validationSplit(1000, { validationSize: 10, trainLimit: 2.5 })).to.throw(
      RangeError,
      'validationSplit: trainLimit must be a positive integer, got 2.5',
    );
    expect(() => validationSplit(1000, { validationSize: 10, seeds: 3 } as never)).to.throw(
      "validationSplit: unknown option 'seeds' (did you mean 'seed'?)",
    );
  });

  it('imageSubset copies the images and labels at the indices, in their order, and refuses an index out of range', () => {
    const pixels = Uint8Array.from({ length: 4 * 4 }, (_, i) => i * 10);
    const dataset = imageDataset(pixels, Uint8Array.from([0, 1, 2, 3]), [1, 2, 2], { normalization: { mean: 0, std: 1 } });
    const subset = imageSubset(dataset, [3, 1]);
    expect(Array.from(subset.labels)).to.deep.equal([3, 1]);
    expect(Array.from(subset.images, (x) => Math.round(x * 255))).to.deep.equal([120, 130, 140, 150, 40, 50, 60, 70]);
    expect(subset.classes).to.equal(4);
    expect(() => imageSubset(dataset, [0, 4])).to.throw(RangeError, 'imageSubset: indices[1] must be an image index in [0, 3], got 4');
  });

  describe('loadData with a validation size', () => {
    const tempDir = useTempDir();

    it('trains and scores on disjoint images of the training set, by image index, and never opens the test files', () => {
      const [, trainImages, , trainLabels] = writeIndexedIdxSplit(tempDir(), 'train', 600);
      const absent = join(tempDir(), 'no-such-file');
      const source = { kind: 'idx' as const, trainImages, trainLabels, testImages: absent, testLabels: absent };
      const data = loadData({ source, trainLimit: 100, validationSize: 200 });
      expect(data.split).to.equal('validation');
      const indices = (images: Float32Array, n: number): number[] => Array.from({ length: n }, (_, row) => imageIndexOf(images, row));
      const train = indices(data.train.images, data.train.labels.length);
      const validation = indices(data.test.images, data.test.labels.length);
      const expected = validationSplit(600, { validationSize: 200, trainLimit: 100 });
      expect(train).to.deep.equal(Array.from(expected.train));
      expect(validation).to.deep.equal(Array.from(expected.validation));
      expect(intersection(train, validation)).to.deep.equal([]);
      expect(Array.from(data.test.labels)).to.deep.equal(validation.map((k) => k % 10));
      // The same request reads the same split; the test split's request reads the (absent) test files.
      expect(Array.from(loadData({ source, trainLimit: 100, validationSize: 200 }).test.labels)).to.deep.equal(
        Array.from(data.test.labels),
      );
      expect(() => loadData({ source, trainLimit: 100 })).to.throw(`cannot read ${absent}`);
    });

    it('refuses a validation split and --limit that need more images than the training set has, by flag', () => {
      const [, trainImages, , trainLabels] = writeIndexedIdxSplit(tempDir(), 'train', 600);
      const source = { kind: 'idx' as const, trainImages, trainLabels, testImages: 'x', testLabels: 'x' };
      expect(() => loadData({ source, trainLimit: 450, validationSize: 200 })).to.throw(
        RangeError,
        '--validation-size 200 with --limit 450 needs 650 training images (the validation split and the training subset), but the training set of IDX files has 600',
      );
      expect(() => loadData({ source, validationSize: 600 })).to.throw(
        RangeError,
        '--validation-size 600 needs 601 training images (the validation split and at least one to train on), but the training set of IDX files has 600',
      );
    });
  });
});
