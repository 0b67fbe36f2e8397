import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { readIdx, readIdxAsync } from '../app/data/idx';
import { gunzipIfGzip, isGzip } from '../app/data/gzip';
import { idxBytes, mnistDir } from './helpers/data-files';

describe('readIdx', () => {
  it('reads 1-D uint8 labels and 3-D uint8 images without copying them', () => {
    const labelBytes = idxBytes(0x08, [3], [7, 2, 1]);
    const labels = readIdx(labelBytes);
    expect(labels.shape).to.deep.equal([3]);
    expect(labels.data).to.be.instanceOf(Uint8Array);
    expect(Array.from(labels.data)).to.deep.equal([7, 2, 1]);
    expect(labels.data.buffer).to.equal(labelBytes.buffer);

    const pixels = Array.from({ length: 12 }, (_, i) => i * 20);
    const images = readIdx(idxBytes(0x08, [2, 2, 3], pixels));
    expect(images.shape).to.deep.equal([2, 2, 3]);
    expect(Array.from(images.data)).to.deep.equal(pixels);
  });

  it('decodes the big-endian wider types into typed arrays of their own kind', () => {
    const cases: Array<[number, new (n: number) => ArrayLike<number>, number[]]> = [
      [0x09, Int8Array, [-128, -1, 127]],
      [0x0b, Int16Array, [-32768, 258, 32767]],
      [0x0c, Int32Array, [-2147483648, 16909060, 2147483647]],
      [0x0d, Float32Array, [-1.5, 0.25, 3e38]],
      [0x0e, Float64Array, [-1e-300, Math.PI, 2 ** 60]],
    ];
    for (const [type, Kind, values] of cases) {
      const { shape, data } = readIdx(idxBytes(type, [3], values));
      expect(shape).to.deep.equal([3]);
      expect(data, `type 0x${type.toString(16)}`).to.be.instanceOf(Kind);
      expect(Array.from(data)).to.deep.equal(Kind === Float32Array ? values.map(Math.fround) : values);
    }
  });

  it('reads data that starts at an odd offset of a larger buffer (a Node Buffer slice)', () => {
    const file = idxBytes(0x0b, [2], [-2, 300]);
    const shifted = new Uint8Array(file.length + 1);
    shifted.set(file, 1);
    expect(Array.from(readIdx(shifted.subarray(1)).data)).to.deep.equal([-2, 300]);
  });

  it('refuses a wrong magic number, an unknown type, gzip and zero dimensions, naming the source', () => {
    const good = idxBytes(0x08, [2], [1, 2]);
    const withByte = (index: number, value: number): Uint8Array => Object.assign(good.slice(), { [index]: value });
    expect(() => readIdx(withByte(0, 1), '/data/x.idx')).to.throw(
      'readIdx: /data/x.idx is not an IDX file: it must start with 0x00 0x00, got 0x01 0x00',
    );
    expect(() => readIdx(withByte(2, 0x0a), 'x')).to.throw('readIdx: x has unknown element type 0x0A');
    expect(() => readIdx(new Uint8Array([0x1f, 0x8b, 8, 0]), 'x.gz')).to.throw('readIdx: x.gz is gzip-compressed');
    expect(() => readIdx(new Uint8Array([0, 0, 8, 0]), 'x')).to.throw('readIdx: x declares 0 dimensions');
    expect(() => readIdx(new Uint8Array([0, 0]), 'x')).to.throw('readIdx: x is truncated: 2 bytes cannot hold the 4-byte IDX magic number');
  });

  it('refuses truncated headers and data, and data longer than the dimensions promise', () => {
    expect(() => readIdx(idxBytes(0x08, [2, 2, 3], []).subarray(0, 12), 'x')).to.throw(
      'readIdx: x is truncated: a 3-dimensional header needs 16 bytes, the file holds 12',
    );
    const images = idxBytes(0x08, [2, 2, 3], new Array(12).fill(9));
    expect(() => readIdx(images.subarray(0, 21), '/p/x.idx')).to.throw(
      'readIdx: /p/x.idx is truncated: header promises 2×2×3 = 12 bytes of data, file holds 5',
    );
    expect(() => readIdx(idxBytes(0x0b, [4], [1, 2, 3]), 'x')).to.throw(
      'readIdx: x is truncated: header promises 4 int16 values = 8 bytes of data, file holds 6',
    );
    expect(() => readIdx(idxBytes(0x08, [2, 2], [1, 2, 3, 4, 5]), 'x')).to.throw(
      'readIdx: x has 1 bytes too many: header promises 2×2 = 4 bytes of data, file holds 5',
    );
  });

  it('reads the real MNIST test set header and its first labels', () => {
    const images = readIdx(gunzipSync(readFileSync(join(mnistDir, 't10k-images-idx3-ubyte.gz'))));
    expect(images.shape).to.deep.equal([10000, 28, 28]);
    expect(images.data.length).to.equal(7840000);
    const labels = readIdx(gunzipSync(readFileSync(join(mnistDir, 't10k-labels-idx1-ubyte.gz'))));
    expect(labels.shape).to.deep.equal([10000]);
    // The well-known first ten MNIST test labels.
    expect(Array.from(labels.data.subarray(0, 10))).to.deep.equal([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
  });

  it('readIdxAsync gunzips gzipped bytes first (DecompressionStream, Node has it too) and reads plain ones as they are', async () => {
    const plain = idxBytes(0x0c, [2, 2], [1, -2, 70000, 0]);
    const gzipped = gzipSync(plain);
    expect([isGzip(gzipped), isGzip(plain), isGzip(Uint8Array.of(0x1f))]).to.deep.equal([true, false, false]);
    expect(Array.from(await gunzipIfGzip(gzipped))).to.deep.equal(Array.from(plain));
    expect(await gunzipIfGzip(plain)).to.equal(plain);
    for (const bytes of [gzipped, plain]) {
      const { shape, data } = await readIdxAsync(bytes, 'x');
      expect([shape, Array.from(data)]).to.deep.equal([
        [2, 2],
        [1, -2, 70000, 0],
      ]);
    }
    let message = '';
    await readIdxAsync(gzipped.subarray(0, 12), 'cut.gz').catch((error: Error) => {
      message = error.message;
    });
    expect(message).to.match(/^gunzipIfGzip: cut\.gz starts like gzip but does not decompress: /);
  });
});
