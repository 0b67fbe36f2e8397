import { expect } from 'chai';
import { readCifar10 } from '../app/data/cifar10';
import { cifarBytes } from './helpers/data-files';

describe('readCifar10', () => {
  it('splits records into labels and [3,32,32] pixels, keeping the channel planes in order', () => {
    const { pixels, labels, count } = readCifar10(cifarBytes([3, 9], (image, channel) => 10 * image + channel));
    expect(count).to.equal(2);
    expect(Array.from(labels)).to.deep.equal([3, 9]);
    expect(pixels.length).to.equal(2 * 3072);
    const planeStarts = [0, 1024, 2048, 3072, 3072 + 1024, 3072 + 2048];
    expect(planeStarts.map((at) => pixels[at])).to.deep.equal([0, 1, 2, 10, 11, 12]);
    expect(pixels[3071]).to.equal(2);
  });

  it('refuses a size that is not a positive multiple of 3073 bytes, naming the file', () => {
    const two = cifarBytes([0, 1], () => 0);
    expect(() => readCifar10(two.subarray(0, 2 * 3073 - 1), '/d/data_batch_1.bin')).to.throw(
      'readCifar10: /d/data_batch_1.bin holds 6145 bytes, not a positive multiple of the 3073-byte record (1 label + 3×32×32 pixels): 1 whole records and 3072 bytes over',
    );
    expect(() => readCifar10(new Uint8Array(0), 'empty.bin')).to.throw('readCifar10: empty.bin holds 0 bytes');
  });

  it('refuses a label outside 0..9, naming the record', () => {
    expect(() =>
      readCifar10(
        cifarBytes([1, 10], () => 0),
        'b.bin',
      ),
    ).to.throw('readCifar10: b.bin record 1 (byte 3073) has label 10; CIFAR-10 labels are 0..9');
  });
});
