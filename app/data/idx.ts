/**
 * The IDX format of MNIST and Fashion-MNIST (LeCun & Cortes), parsed from bytes so that a browser
 * bundle can use it (app/data/read-idx-file.ts reads the files in Node):
 *
 *   bytes 0–1  0x00 0x00
 *   byte  2    element type: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64
 *   byte  3    number of dimensions d
 *   then d big-endian uint32 sizes, then the elements in row-major order, big-endian.
 *
 * The files are often gzipped (MNIST's downloads, Debian's dataset packages): readIdxAsync
 * decompresses them first, in a browser too.
 *
 * Nothing is turned into JS number arrays: one-byte types come back as views over the input (no
 * copy), wider types as typed arrays filled from a DataView (IDX is big-endian, typed arrays use
 * the host's order).
 */
import { gunzipIfGzip, isGzip } from './gzip';

export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  shape: number[];
  data: IdxData;
}

export interface IdxElementType {
  name: string;
  bytes: number;
  /** Reads `count` big-endian elements starting at `view`'s byte 0. */
  read(view: DataView, count: number): IdxData;
}

function bigEndian<T extends Int16Array | Int32Array | Float32Array | Float64Array>(
  ArrayType: new (n: number) => T,
  get: (view: DataView, offset: number) => number,
): (view: DataView, count: number) => T {
  return (view, count) => {
    const out = new ArrayType(count);
    const step = out.BYTES_PER_ELEMENT;
    for (let i = 0; i < count; i++) out[i] = get(view, i * step);
    return out;
  };
}

const elementTypes: ReadonlyMap<number, IdxElementType> = new Map([
  [0x08, { name: 'uint8', bytes: 1, read: (v: DataView, n: number) => new Uint8Array(v.buffer, v.byteOffset, n) }],
  [0x09, { name: 'int8', bytes: 1, read: (v: DataView, n: number) => new Int8Array(v.buffer, v.byteOffset, n) }],
  [0x0b, { name: 'int16', bytes: 2, read: bigEndian(Int16Array, (v, o) => v.getInt16(o)) }],
  [0x0c, { name: 'int32', bytes: 4, read: bigEndian(Int32Array, (v, o) => v.getInt32(o)) }],
  [0x0d, { name: 'float32', bytes: 4, read: bigEndian(Float32Array, (v, o) => v.getFloat32(o)) }],
  [0x0e, { name: 'float64', bytes: 8, read: bigEndian(Float64Array, (v, o) => v.getFloat64(o)) }],
]);

const hex = (byte: number): string => `0x${byte.toString(16).padStart(2, '0').toUpperCase()}`;

/** What an IDX header declares: the array's shape and element type, and the bytes it takes. */
export interface IdxHeader {
  shape: number[];
  type: IdxElementType;
  /** 4 + 4 bytes per dimension. */
  headerBytes: number;
  /** The bytes of the elements the shape declares. */
  dataBytes: number;
  /** The bytes of one record (one slice along the first dimension: an image, a label). */
  recordBytes: number;
}

/** The most bytes an IDX header can take (255 dimensions): enough to read before parsing one. */
export const maxIdxHeaderBytes = 4 + 4 * 255;

/** Parses the header at the start of `bytes` (which may hold more, or only the header). */
export function readIdxHeader(bytes: Uint8Array, source = 'the IDX data'): IdxHeader {
  const invalid = (problem: string): Error => new Error(`readIdx: ${source} ${problem}`);
  if (bytes.length < 4) throw invalid(`is truncated: ${bytes.length} bytes cannot hold the 4-byte IDX magic number`);
  if (isGzip(bytes)) throw invalid('is gzip-compressed; decompress it first (readIdxAsync does, or gunzip)');
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw invalid(`is not an IDX file: it must start with 0x00 0x00, got ${hex(bytes[0])} ${hex(bytes[1])}`);
  }
  const type = elementTypes.get(bytes[2]);
  if (!type) throw invalid(`has unknown element type ${hex(bytes[2])} (expected 0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E)`);
  const ndim = bytes[3];
  if (ndim === 0) throw invalid('declares 0 dimensions; an IDX array needs at least 1');
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes) {
    throw invalid(`is truncated: a ${ndim}-dimensional header needs ${headerBytes} bytes, the file holds ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const shape = Array.from({ length: ndim }, (_, i) => view.getUint32(4 + 4 * i));
  const recordBytes = shape.slice(1).reduce((n, d) => n * d, type.bytes);
  return { shape, type, headerBytes, dataBytes: shape[0] * recordBytes, recordBytes };
}

/**
 * The error for data of another size than `header` declares: `held` bytes follow the header, or
 * 'more' when only that it exceeds the declared size is known (decompression stopped there).
 */
export function idxSizeError(header: IdxHeader, held: number | 'more', source = 'the IDX data'): Error {
  const { shape, type, dataBytes } = header;
  const elements = `${shape.join('×')}${type.bytes > 1 ? ` ${type.name} values` : ''}`;
  const promise = `header promises ${elements === String(dataBytes) ? '' : `${elements} = `}${dataBytes} bytes of data`;
  const problem =
    held === 'more'
      ? `holds more data than its header declares: ${promise}`
      : held < dataBytes
        ? `is truncated: ${promise}, file holds ${held}`
        : `has ${held - dataBytes} bytes too many: ${promise}, file holds ${held}`;
  return new Error(`readIdx: ${source} ${problem}`);
}

/**
 * The first `count` records of the array `header` describes, from `bytes` (the header followed by
 * at least those records). One-byte element types are views sharing memory with `bytes`.
 */
export function idxRecords(header: IdxHeader, bytes: Uint8Array, count: number): IdxArray {
  const { shape, type, headerBytes, recordBytes } = header;
  const view = new DataView(bytes.buffer, bytes.byteOffset + headerBytes, count * recordBytes);
  return { shape: [count, ...shape.slice(1)], data: type.read(view, (count * recordBytes) / type.bytes) };
}

/**
 * Parses IDX bytes. `source` (a file path, a URL) names the data in error messages. One-byte
 * element types are returned as views sharing memory with `bytes`.
 */
export function readIdx(bytes: Uint8Array, source = 'the IDX data'): IdxArray {
  const header = readIdxHeader(bytes, source);
  const held = bytes.length - header.headerBytes;
  if (held !== header.dataBytes) throw idxSizeError(header, held, source);
  return idxRecords(header, bytes, header.shape[0]);
}

/** readIdx for bytes that may be gzipped (as fetched from a .gz file): gunzips them first when they are. */
export async function readIdxAsync(bytes: Uint8Array, source = 'the IDX data'): Promise<IdxArray> {
  return readIdx(await gunzipIfGzip(bytes, source), source);
}
