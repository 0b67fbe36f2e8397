import { expect } from 'chai';
import { crc32 as zlibCrc32, inflateSync } from 'node:zlib';
import { crc32, encodePng, indexColours } from '../app/render/png';
import { adler32, zlibStore } from '../app/render/zlib-store';
import { type RgbImage, createRgbImage } from '../app/render/rgb-image';

interface Chunk {
  type: string;
  data: Uint8Array;
  crc: number;
  crcOver: Uint8Array;
}

function readChunks(png: Uint8Array): Chunk[] {
  expect([...png.subarray(0, 8)]).to.deep.equal([137, 80, 78, 71, 13, 10, 26, 10]);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: Chunk[] = [];
  for (let at = 8; at < png.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    chunks.push({
      type,
      data: png.subarray(at + 8, at + 8 + length),
      crc: view.getUint32(at + 8 + length),
      crcOver: png.subarray(at + 4, at + 8 + length),
    });
    at += 12 + length;
  }
  return chunks;
}

/** Decodes what encodePng writes (filter 0 only) back to RGB bytes, checking the structure on the way. */
function decode(png: Uint8Array): RgbImage {
  const chunks = readChunks(png);
  for (const c of chunks) expect(c.crc, `CRC of ${c.type}`).to.equal(crc32(c.crcOver));
  expect(chunks[0].type).to.equal('IHDR');
  expect(chunks[chunks.length - 1].type).to.equal('IEND');
  expect(chunks[chunks.length - 1].data.length).to.equal(0);
  const ihdr = new DataView(chunks[0].data.buffer, chunks[0].data.byteOffset, 13);
  const [width, height, depth, colourType] = [ihdr.getUint32(0), ihdr.getUint32(4), ihdr.getUint8(8), ihdr.getUint8(9)];
  expect([depth, ihdr.getUint8(10), ihdr.getUint8(11), ihdr.getUint8(12)]).to.deep.equal([8, 0, 0, 0]);
  const idat = Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data));
  const raw = inflateSync(idat);
  const channels = colourType === 2 ? 3 : 1;
  expect(raw.length).to.equal(height * (width * channels + 1));
  const palette = chunks.find((c) => c.type === 'PLTE')?.data;
  expect(palette !== undefined).to.equal(colourType === 3);
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const row = y * (width * channels + 1);
    expect(raw[row], 'filter byte').to.equal(0);
    for (let x = 0; x < width; x++) {
      const px = raw.subarray(row + 1 + x * channels, row + 1 + (x + 1) * channels);
      data.set(palette ? palette.subarray(px[0] * 3, px[0] * 3 + 3) : px, (y * width + x) * 3);
    }
  }
  return { width, height, data };
}

describe('png', () => {
  it('crc32 matches the standard check value and node:zlib', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).to.equal(0xcbf43926);
    expect(crc32(new Uint8Array(0))).to.equal(0);
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 31) % 256);
    expect(crc32(bytes)).to.equal(zlibCrc32(bytes));
  });

  it('adler32 matches the standard check value, across the 5552-byte reduction boundary too', () => {
    expect(adler32(new TextEncoder().encode('Wikipedia'))).to.equal(0x11e60398);
    const big = Uint8Array.from({ length: 20000 }, () => 255);
    // Reference by the definition, reducing every byte.
    let [a, b] = [1, 0];
    for (const v of big) {
      a = (a + v) % 65521;
      b = (b + a) % 65521;
    }
    expect(adler32(big)).to.equal(((b << 16) | a) >>> 0);
  });

  it('zlibStore makes a stream node:zlib inflates, with one stored block per 65535 bytes (and one for empty input)', () => {
    for (const size of [0, 1, 65535, 65536, 200000]) {
      const data = Uint8Array.from({ length: size }, (_, i) => (i * 7919) % 251);
      const stream = zlibStore(data);
      expect(stream.length).to.equal(2 + Math.max(1, Math.ceil(size / 65535)) * 5 + size + 4);
      expect(Buffer.from(inflateSync(stream)).equals(Buffer.from(data)), `size ${size}`).to.equal(true);
    }
  });

  it('writes a many-coloured image as RGB: IHDR, IDAT, IEND, valid CRCs, the exact pixels', () => {
    const width = 23;
    const height = 17;
    // 391 pixels, all of different colours: too many for a palette.
    const data = new Uint8Array(width * height * 3);
    for (let p = 0; p < width * height; p++) data.set([p % 256, p >> 8, (p * 13) % 256], p * 3);
    const image = { width, height, data };
    expect(indexColours(image)).to.equal(null);
    const png = encodePng(image);
    expect(readChunks(png).map((c) => c.type)).to.deep.equal(['IHDR', 'IDAT', 'IEND']);
    const decoded = decode(png);
    expect([decoded.width, decoded.height]).to.deep.equal([width, height]);
    expect(Buffer.from(decoded.data).equals(Buffer.from(data))).to.equal(true);
  });

  it('writes an image of at most 256 colours as a palette, a third of the size, with the same pixels', () => {
    const image = createRgbImage(300, 200, [10, 20, 30]);
    for (let i = 0; i < 250; i++) image.data.set([i, 255 - i, 7], i * 3 * 97);
    const png = encodePng(image);
    expect(readChunks(png).map((c) => c.type)).to.deep.equal(['IHDR', 'PLTE', 'IDAT', 'IEND']);
    expect(png.length).to.be.below(300 * 200 * 1.01 + 1000);
    expect(Buffer.from(decode(png).data).equals(Buffer.from(image.data))).to.equal(true);
  });

  it('rejects a buffer that does not match the size', () => {
    expect(() => encodePng({ width: 2, height: 2, data: new Uint8Array(11) })).to.throw(RangeError, 'needs 12 bytes, got 11');
    expect(() => encodePng({ width: 0, height: 2, data: new Uint8Array(0) })).to.throw(RangeError, 'got 0×2');
  });
});
