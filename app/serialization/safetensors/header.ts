/**
 * The header of a safetensors file (Hugging Face's format), read and checked before any tensor's
 * bytes are. The file is:
 *
 *   8 bytes   N, the header length, unsigned little-endian
 *   N bytes   JSON: { "<name>": { "dtype": "F64", "shape": [2,3], "data_offsets": [begin, end] }, …,
 *                     "__metadata__": { "<key>": "<string>" } }   (padded with spaces)
 *   the rest  the tensors' bytes, little-endian, row-major; offsets are relative to its start
 */
import { firstDuplicateKey } from '../json-duplicate-keys';
import { type StoredType, storedTypes } from './stored-types';

/** Free-form string pairs stored in the header (checkpoint extras: epoch, optimizer and generator state as JSON). */
export type SafetensorsMetadata = Record<string, string>;

export const metadataKey = '__metadata__';

/** The metadata as the format allows it: an object whose values are strings; `where` names the caller or file. */
export function checkMetadata(where: string, metadata: unknown): SafetensorsMetadata {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new TypeError(`${where}: ${metadataKey} must be an object of strings, got ${JSON.stringify(metadata)}`);
  }
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string')
      throw new TypeError(`${where}: ${metadataKey}.${key} must be a string (JSON.stringify other values), got ${JSON.stringify(value)}`);
  }
  return metadata as SafetensorsMetadata;
}

export interface HeaderEntry {
  name: string;
  type: StoredType;
  shape: number[];
  begin: number;
  end: number;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * The largest header a file may declare: the reference implementation's limit (the Rust crate's
 * MAX_HEADER_SIZE, 100 MB), so a corrupt length is refused before that many bytes are read.
 */
const maxHeaderLength = 100_000_000;

/** Reads bytes [begin, end) of a safetensors file, in memory or from disk. */
export type ByteRange = (begin: number, end: number) => Uint8Array;

/** A parsed and checked header: where the data starts, the metadata and the declared tensors. */
export interface Header {
  dataStart: number;
  metadata: SafetensorsMetadata;
  entries: HeaderEntry[];
}

/**
 * Reads and checks the header of a safetensors file of `size` bytes: its length (against the file
 * and maxHeaderLength) before reading it, then its JSON (no key twice) and each tensor's entry.
 */
export function readHeader(where: string, read: ByteRange, size: number): Header {
  if (size < 8) throw new Error(`${where} is truncated: ${size} bytes cannot hold the 8-byte header length`);
  const prefix = read(0, 8);
  const headerLength = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (headerLength > BigInt(size - 8)) {
    throw new Error(`${where} is truncated or corrupt: the header length is ${headerLength} bytes, but only ${size - 8} bytes follow it`);
  }
  if (headerLength > BigInt(maxHeaderLength)) {
    throw new Error(`${where} declares a ${headerLength}-byte header, more than the format's limit of ${maxHeaderLength} bytes`);
  }
  const dataStart = 8 + Number(headerLength);
  let text: string;
  let header: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(read(8, dataStart));
    header = JSON.parse(text);
  } catch (error) {
    throw new Error(`${where} has an invalid header (not UTF-8 JSON): ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw new Error(`${where} has an invalid header: expected a JSON object`);
  const duplicate = firstDuplicateKey(text);
  if (duplicate) {
    const within = duplicate.path.length === 0 ? 'its header' : JSON.stringify(duplicate.path.join('.'));
    throw new Error(`${where} has the key ${JSON.stringify(duplicate.key)} twice in ${within}; a key must appear once`);
  }
  const { [metadataKey]: rawMetadata, ...rawEntries } = header as Record<string, unknown>;
  const metadata = rawMetadata === undefined ? {} : checkMetadata(where, rawMetadata);
  const entries = Object.entries(rawEntries).map(([name, raw]) => parseEntry(where, name, raw));
  return { dataStart, metadata, entries };
}

function parseEntry(where: string, name: string, raw: unknown): HeaderEntry {
  const bad = (problem: string): Error => new Error(`${where}: tensor ${JSON.stringify(name)} ${problem}`);
  if (typeof raw !== 'object' || raw === null)
    throw bad(`has header entry ${JSON.stringify(raw)}, expected { dtype, shape, data_offsets }`);
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  const type = typeof dtype === 'string' && Object.hasOwn(storedTypes, dtype) ? storedTypes[dtype] : undefined;
  if (!type) throw bad(`has unsupported dtype ${JSON.stringify(dtype)} (dropgrad reads ${Object.keys(storedTypes).join(', ')})`);
  if (!Array.isArray(shape) || !shape.every(isCount))
    throw bad(`has shape ${JSON.stringify(shape)}, expected a list of non-negative integers`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0] > offsets[1]) {
    throw bad(`has data_offsets ${JSON.stringify(offsets)}, expected [begin, end] with 0 ≤ begin ≤ end`);
  }
  const [begin, end] = offsets as [number, number];
  const expected = shape.reduce((n: number, d: number) => n * d, 1) * type.bytes;
  if (end - begin !== expected) {
    throw bad(`spans ${end - begin} bytes, but shape [${shape.join(',')}] of ${dtype} needs ${expected}`);
  }
  return { name, type, shape, begin, end };
}

/**
 * The size a safetensors file must have: 8 + its header + the data its header declares, read from
 * the file's first bytes only, so that a reader can refuse a file of another size before reading
 * the rest. `size` is the file's actual size; `source` names it in error messages.
 */
export function declaredSafetensorsSize(read: ByteRange, size: number, source: string): number {
  const { dataStart, entries } = readHeader(`decodeSafetensors: ${source}`, read, size);
  return entries.reduce((end, entry) => Math.max(end, dataStart + entry.end), dataStart);
}
