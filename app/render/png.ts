/**
 * A minimal PNG encoder (ISO/IEC 15948) for 8-bit RGB images: no interlacing, every scanline with
 * filter 0 (none), the image data deflated as stored blocks (zlib-store.ts). Pure TypeScript with
 * no Node APIs, so a browser page can build the same mask pictures as the CLI.
 *
 * Stored blocks do not compress, so the file is as large as its pixels. An image of at most 256
 * distinct colours (the mask pictures quantise theirs for this) is therefore written as indexed
 * colour — a palette plus one byte per pixel — a third of the size of RGB triples.
 */
import type { RgbImage } from './rgb-image';
import { zlibStore } from './zlib-store';

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

let crcTable: Uint32Array | null = null;

/** The CRC-32 of ISO 3309 / ITU-T V.42 (polynomial 0xEDB88320, reflected), as PNG chunks use. */
export function crc32(bytes: Uint8Array): number {
  if (crcTable === null) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** length, type, data, CRC of type + data. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** Colour type 2: RGB triples; 3: indices into a PLTE palette. */
type ColourType = 2 | 3;

function header(width: number, height: number, colourType: ColourType): Uint8Array {
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr[8] = 8; // bits per sample (RGB) or per index (palette)
  ihdr[9] = colourType;
  // bytes 10–12 stay 0: deflate, adaptive filtering (method 0), no interlace
  return ihdr;
}

/** The image as palette indices with its palette (RGB triples), or null if it has over 256 colours. */
export function indexColours(image: RgbImage): { palette: Uint8Array; indices: Uint8Array } | null {
  const { data } = image;
  const indexOf = new Map<number, number>();
  const indices = new Uint8Array(data.length / 3);
  for (let p = 0; p < indices.length; p++) {
    const key = (data[3 * p] << 16) | (data[3 * p + 1] << 8) | data[3 * p + 2];
    let index = indexOf.get(key);
    if (index === undefined) {
      if (indexOf.size === 256) return null;
      index = indexOf.size;
      indexOf.set(key, index);
    }
    indices[p] = index;
  }
  const palette = new Uint8Array(indexOf.size * 3);
  for (const [key, index] of indexOf) palette.set([key >>> 16, (key >>> 8) & 0xff, key & 0xff], index * 3);
  return { palette, indices };
}

/** Rows of `bytesPerRow` from `pixels`, each prefixed by filter type 0 (the bytes as they are). */
function scanlines(pixels: Uint8Array, height: number, bytesPerRow: number): Uint8Array {
  const out = new Uint8Array(height * (bytesPerRow + 1));
  for (let y = 0; y < height; y++) out.set(pixels.subarray(y * bytesPerRow, (y + 1) * bytesPerRow), y * (bytesPerRow + 1) + 1);
  return out;
}

/** The PNG file for `image`. */
export function encodePng(image: RgbImage): Uint8Array {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > 0x7fffffff || height > 0x7fffffff) {
    throw new RangeError(`encodePng: width and height must be integers in [1, 2^31 − 1], got ${width}×${height}`);
  }
  if (data.length !== width * height * 3) {
    throw new RangeError(`encodePng: a ${width}×${height} RGB image needs ${width * height * 3} bytes, got ${data.length}`);
  }
  const indexed = indexColours(image);
  const parts = indexed
    ? [
        chunk('IHDR', header(width, height, 3)),
        chunk('PLTE', indexed.palette),
        chunk('IDAT', zlibStore(scanlines(indexed.indices, height, width))),
      ]
    : [chunk('IHDR', header(width, height, 2)), chunk('IDAT', zlibStore(scanlines(data, height, width * 3)))];
  parts.unshift(Uint8Array.from(SIGNATURE));
  parts.push(chunk('IEND', new Uint8Array(0)));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
