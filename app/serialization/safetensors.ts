/**
 * The safetensors format (Hugging Face), encoded and decoded in memory so a browser bundle can use
 * it (app/serialization/safetensors-file.ts reads and writes files in Node):
 *
 *   8 bytes   N, the header length, unsigned little-endian
 *   N bytes   JSON: { "<name>": { "dtype": "F64", "shape": [2,3], "data_offsets": [begin, end] }, …,
 *                     "__metadata__": { "<key>": "<string>" } }   (padded with spaces)
 *   the rest  the tensors' bytes, little-endian, row-major; offsets are relative to its start
 *
 * Names are the state-dict keys (`layer1.0.bn1.running_mean`), which are PyTorch's, so a file
 * saved here loads with `safetensors.torch.load_file` and `model.load_state_dict`.
 *
 * Decoding is strict, as the reference implementation: the tensors must tile the data buffer
 * exactly (no overlap, no hole, no trailing bytes) and each must span shape × dtype size bytes.
 *
 * Dtypes: dropgrad tensors are float64 or float32 and are written as F64 / F32. Files from
 * elsewhere may hold other types: F16 is read as float32 (exactly); integer and BOOL tensors
 * (e.g. PyTorch's int64 `num_batches_tracked`) as float64 — exact up to 2^53. We write
 * num_batches_tracked as F64 because it *is* a float64 tensor here; PyTorch's load_state_dict
 * copies it into its int64 buffer with a cast, so nothing is lost for counts below 2^53.
 */
import { Tensor } from '../../lib/tensor';
import type { DType, TypedArray } from '../../base/dtype';
import type { StateDict } from '../../nn/module';
import { formatValue } from '../../base/shape';
import { firstDuplicateKey } from './json-duplicate-keys';

/** Free-form string pairs stored in the header (checkpoint extras: epoch, optimizer and generator state as JSON). */
export type SafetensorsMetadata = Record<string, string>;

export interface SafetensorsContents {
  tensors: StateDict;
  metadata: SafetensorsMetadata;
}

const metadataKey = '__metadata__';

interface StoredType {
  bytes: number;
  /** The dropgrad dtype this stored type is read into. */
  dtype: DType;
  /** Reads `count` little-endian elements from `view`. */
  read(view: DataView, count: number, out: TypedArray): void;
}

function littleEndian(bytes: number, get: (view: DataView, offset: number) => number): StoredType['read'] {
  return (view, count, out) => {
    for (let i = 0; i < count; i++) out[i] = get(view, i * bytes);
  };
}

/** IEEE 754 half precision → number (every half is exactly representable in float32). */
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

const storedTypes: Readonly<Record<string, StoredType>> = {
  F64: { bytes: 8, dtype: 'float64', read: littleEndian(8, (v, o) => v.getFloat64(o, true)) },
  F32: { bytes: 4, dtype: 'float32', read: littleEndian(4, (v, o) => v.getFloat32(o, true)) },
  F16: { bytes: 2, dtype: 'float32', read: littleEndian(2, (v, o) => halfToNumber(v.getUint16(o, true))) },
  I64: { bytes: 8, dtype: 'float64', read: littleEndian(8, (v, o) => Number(v.getBigInt64(o, true))) },
  I32: { bytes: 4, dtype: 'float64', read: littleEndian(4, (v, o) => v.getInt32(o, true)) },
  I16: { bytes: 2, dtype: 'float64', read: littleEndian(2, (v, o) => v.getInt16(o, true)) },
  I8: { bytes: 1, dtype: 'float64', read: littleEndian(1, (v, o) => v.getInt8(o)) },
  U8: { bytes: 1, dtype: 'float64', read: littleEndian(1, (v, o) => v.getUint8(o)) },
  BOOL: { bytes: 1, dtype: 'float64', read: littleEndian(1, (v, o) => (v.getUint8(o) ? 1 : 0)) },
};

const storedNameOf: Record<DType, string> = { float64: 'F64', float32: 'F32' };

/** The bytes of a safetensors file holding `tensors` (in their insertion order) and `metadata`. */
export function encodeSafetensors(tensors: StateDict, metadata?: SafetensorsMetadata): Uint8Array {
  // No prototype: assigning header["__proto__"] on a plain object would set its prototype and the
  // tensor would vanish from the JSON. On a null-prototype object every name is an own property.
  const header: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  if (metadata !== undefined) header[metadataKey] = checkMetadata('encodeSafetensors', metadata);
  const entries = Object.entries(tensors);
  for (const [name, t] of entries) {
    if (name === metadataKey) throw new RangeError(`encodeSafetensors: ${metadataKey} is reserved for metadata and cannot name a tensor`);
    if (!(t instanceof Tensor)) throw new TypeError(`encodeSafetensors: ${name} is not a Tensor`);
  }
  // Widest elements first, as the reference writer does, so every tensor starts at a multiple of
  // its element size and readers may view the bytes in place.
  const layout = entries
    .map(([name, t], index) => ({ name, dtype: t.dtype, data: t.contiguousData(), index }))
    .sort((a, b) => b.data.BYTES_PER_ELEMENT - a.data.BYTES_PER_ELEMENT || a.index - b.index);
  const offsets = new Map<string, [number, number]>();
  let dataLength = 0;
  for (const { name, data } of layout) {
    offsets.set(name, [dataLength, dataLength + data.byteLength]);
    dataLength += data.byteLength;
  }
  for (const [name, t] of entries) header[name] = { dtype: storedNameOf[t.dtype], shape: t.shape, data_offsets: offsets.get(name) };
  const json = new TextEncoder().encode(JSON.stringify(header));
  // Padding the header to 8 bytes keeps the data buffer 8-byte aligned within the file.
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + dataLength);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  for (const { name, dtype, data } of layout) {
    const at = 8 + headerLength + offsets.get(name)![0];
    // Through a DataView: the file is little-endian whatever the host's byte order.
    if (dtype === 'float64')
      data.forEach((value, i) => {
        view.setFloat64(at + 8 * i, value, true);
      });
    else
      data.forEach((value, i) => {
        view.setFloat32(at + 4 * i, value, true);
      });
  }
  return out;
}

function checkMetadata(where: string, metadata: unknown): SafetensorsMetadata {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new TypeError(`${where}: ${metadataKey} must be an object of strings, got ${JSON.stringify(metadata)}`);
  }
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string')
      throw new TypeError(`${where}: ${metadataKey}.${key} must be a string (JSON.stringify other values), got ${JSON.stringify(value)}`);
  }
  return metadata as SafetensorsMetadata;
}

interface HeaderEntry {
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
interface Header {
  dataStart: number;
  metadata: SafetensorsMetadata;
  entries: HeaderEntry[];
}

/**
 * Reads and checks the header of a safetensors file of `size` bytes: its length (against the file
 * and maxHeaderLength) before reading it, then its JSON (no key twice) and each tensor's entry.
 */
function readHeader(where: string, read: ByteRange, size: number): Header {
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

/**
 * The size a safetensors file must have: 8 + its header + the data its header declares, read from
 * the file's first bytes only, so that a reader can refuse a file of another size before reading
 * the rest. `size` is the file's actual size; `source` names it in error messages.
 */
export function declaredSafetensorsSize(read: ByteRange, size: number, source: string): number {
  const { dataStart, entries } = readHeader(`decodeSafetensors: ${source}`, read, size);
  return entries.reduce((end, entry) => Math.max(end, dataStart + entry.end), dataStart);
}

/**
 * Parses and validates a whole safetensors file; `source` names it in error messages. Every
 * tensor gets its own storage (nothing aliases `bytes`).
 */
export function decodeSafetensors(bytes: Uint8Array, source = 'the safetensors data'): SafetensorsContents {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`decodeSafetensors: bytes must be a Uint8Array, got ${formatValue(bytes)}`);
  const where = `decodeSafetensors: ${source}`;
  const { dataStart, metadata, entries } = readHeader(where, (begin, end) => bytes.subarray(begin, end), bytes.length);
  const dataLength = bytes.length - dataStart;
  for (const { name, begin, end } of entries) {
    if (end > dataLength) {
      throw new Error(
        `${where}: tensor ${JSON.stringify(name)} has data_offsets [${begin}, ${end}] past the end of the ${dataLength}-byte data buffer (file truncated?)`,
      );
    }
  }
  checkTiling(where, entries, dataLength);
  const tensors = entries.map(({ name, type, shape, begin, end }): [string, Tensor] => {
    const count = (end - begin) / type.bytes;
    const out: TypedArray = type.dtype === 'float64' ? new Float64Array(count) : new Float32Array(count);
    type.read(new DataView(bytes.buffer, bytes.byteOffset + dataStart + begin, end - begin), count, out);
    return [name, Tensor.fromData(out, shape)];
  });
  // fromEntries defines own properties, so a tensor named "__proto__" cannot reach the prototype.
  return { tensors: Object.fromEntries(tensors), metadata };
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

/** The tensors must cover the data buffer exactly once: no overlap, no hole, nothing after. */
function checkTiling(where: string, entries: readonly HeaderEntry[], dataLength: number): void {
  const byOffset = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let previous = 'the start of the data';
  for (const { name, begin, end } of byOffset) {
    if (begin < cursor) throw new Error(`${where}: tensor ${JSON.stringify(name)} at bytes [${begin}, ${end}) overlaps ${previous}`);
    if (begin > cursor) throw new Error(`${where}: bytes [${cursor}, ${begin}) of the data belong to no tensor (a hole after ${previous})`);
    cursor = end;
    previous = `tensor ${JSON.stringify(name)}`;
  }
  if (cursor !== dataLength) throw new Error(`${where} has ${dataLength - cursor} trailing bytes after the last tensor`);
}
