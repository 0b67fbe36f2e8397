import { expect } from 'chai';
import { checkImageDataset, idxImageDataset, imageDataset } from '../app/data/dataset';
import { readIdx } from '../app/data/idx';
import { idxBytes } from './helpers/data-files';

describe('imageDataset', () => {
  it("normalises pixels as (x/255 − mean)/std, with MNIST's 0.1307 / 0.3081 by default", () => {
    const ds = imageDataset(new Uint8Array([0, 255, 51, 102]), new Uint8Array([4]), [1, 2, 2]);
    const expected = [0, 255, 51, 102].map((v) => Math.fround((v / 255 - 0.1307) / 0.3081));
    expect(Array.from(ds.images)).to.deep.equal(expected);
    expect(ds.shape).to.deep.equal([1, 2, 2]);
    expect(ds.classes).to.equal(5);
  });

  it('normalises each channel with its own statistics', () => {
    // Two images of 2 channels of 1×2 pixels: every pixel 255.
    const ds = imageDataset(new Uint8Array(8).fill(255), new Uint8Array([0, 1]), [2, 1, 2], {
      normalization: { mean: [0.5, 0], std: [0.5, 2] },
    });
    expect(Array.from(ds.images)).to.deep.equal([1, 1, 0.5, 0.5, 1, 1, 0.5, 0.5]);
  });

  it('refuses pixels that do not fill the images, bad statistics and too few classes', () => {
    const labels = new Uint8Array([0, 3]);
    expect(() => imageDataset(new Uint8Array(7), labels, [1, 2, 2])).to.throw(
      'imageDataset: 7 pixels do not make 2 images of shape [1,2,2] (8 expected)',
    );
    expect(() => imageDataset(new Uint8Array(8), labels, [1, 2, 2], { normalization: { mean: 0, std: 0 } })).to.throw(
      'imageDataset: normalization std must be positive, got 0',
    );
    expect(() => imageDataset(new Uint8Array(8), labels, [1, 2, 2], { normalization: { mean: [0, 0], std: 1 } })).to.throw(
      'imageDataset: normalization mean must be a finite number or 1 finite numbers (one per channel), got [0,0]',
    );
    expect(() => imageDataset(new Uint8Array(8), labels, [1, 2, 2], { classes: 3 })).to.throw(
      'imageDataset: classes must be a positive integer above every label (largest label 3), got 3',
    );
  });

  it('keeps class names, one per class: they set the number of classes unless it is given, and must match it', () => {
    const labels = new Uint8Array([0, 1]);
    const names = ['cat', 'dog', 'bird'];
    const ds = imageDataset(new Uint8Array(8), labels, [1, 2, 2], { classNames: names });
    expect([ds.classes, ds.classNames]).to.deep.equal([3, names]);
    expect(ds.classNames, 'a copy: the caller may reuse its array').not.to.equal(names);
    expect(imageDataset(new Uint8Array(8), labels, [1, 2, 2])).not.to.have.property('classNames');
    expect(() => imageDataset(new Uint8Array(8), labels, [1, 2, 2], { classes: 2, classNames: names })).to.throw(
      RangeError,
      'imageDataset: classNames must be 2 non-empty strings (one per class), got ["cat","dog","bird"]',
    );
    expect(() => imageDataset(new Uint8Array(8), labels, [1, 2, 2], { classNames: ['cat', ' '] })).to.throw(
      'classNames must be 2 non-empty strings',
    );
    expect(() => checkImageDataset({ ...ds, classNames: ['cat'] }, 'DataLoader')).to.throw(
      RangeError,
      'DataLoader: dataset.classNames must be 3 non-empty strings (one per class), got ["cat"]',
    );
  });
});

describe('idxImageDataset', () => {
  it('treats [N,H,W] as grey images [1,H,W] and keeps [N,C,H,W] channels', () => {
    const grey = idxImageDataset(readIdx(idxBytes(0x08, [2, 1, 3], [0, 0, 0, 255, 255, 255])), readIdx(idxBytes(0x08, [2], [1, 0])), {
      normalization: { mean: 0, std: 1 },
    });
    expect(grey.shape).to.deep.equal([1, 1, 3]);
    expect(Array.from(grey.images)).to.deep.equal([0, 0, 0, 1, 1, 1]);
    expect(Array.from(grey.labels)).to.deep.equal([1, 0]);
    const colour = idxImageDataset(readIdx(idxBytes(0x08, [1, 3, 2, 2], new Array(12).fill(0))), readIdx(idxBytes(0x08, [1], [0])));
    expect(colour.shape).to.deep.equal([3, 2, 2]);
  });

  it('refuses non-uint8 arrays, wrong ranks and a count mismatch', () => {
    const labels = readIdx(idxBytes(0x08, [2], [0, 1]));
    expect(() => idxImageDataset(readIdx(idxBytes(0x0b, [2, 1, 1], [0, 1])), labels)).to.throw(
      'idxImageDataset: images and labels must both hold uint8 (IDX type 0x08), got Int16Array and Uint8Array',
    );
    expect(() => idxImageDataset(readIdx(idxBytes(0x08, [2, 4], new Array(8).fill(0))), labels)).to.throw(
      'idxImageDataset: expected images [N,H,W] or [N,C,H,W] and labels [N], got [2,4] and [2]',
    );
    expect(() => idxImageDataset(readIdx(idxBytes(0x08, [3, 1, 1], [0, 0, 0])), labels)).to.throw('idxImageDataset: 3 images but 2 labels');
  });
});
