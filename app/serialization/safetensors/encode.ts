/**
 * A state dict as the bytes of a safetensors file, in memory so a browser bundle can use it
 * (app/serialization/safetensors-file.ts writes files in Node). Names are the state-dict keys
 * (`layer1.0.bn1.running_mean`), which are PyTorch's, so a file saved here loads with
 * `safetensors.torch.load_file` and `model.load_state_dict`.
 */
import { Tensor } from '../../../lib/tensor';
import type { StateDict } from '../../../nn/module';
import { type SafetensorsMetadata, checkMetadata, metadataKey } from './header';
import { storedNameOf } from './stored-types';

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
