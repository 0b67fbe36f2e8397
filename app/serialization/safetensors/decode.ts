/**
 * The bytes of a safetensors file as a state dict and its metadata, in memory so a browser bundle
 * can use it (app/serialization/safetensors-file.ts reads files in Node). Decoding is strict, as
 * the reference implementation: the tensors must tile the data buffer exactly (no overlap, no hole,
 * no trailing bytes) and each must span shape × dtype size bytes.
 */
import { Tensor } from '../../../lib/tensor';
import type { TypedArray } from '../../../base/dtype';
import type { StateDict } from '../../../nn/module';
import { formatValue } from '../../../base/shape';
import { type HeaderEntry, type SafetensorsMetadata, readHeader } from './header';

export interface SafetensorsContents {
  tensors: StateDict;
  metadata: SafetensorsMetadata;
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
