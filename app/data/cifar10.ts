/**
 * The CIFAR-10 binary format (Krizhevsky 2009, "CIFAR-10 binary version"), parsed from bytes so
 * that a browser bundle can use it. Each file (data_batch_1.bin … data_batch_5.bin, test_batch.bin)
 * is a run of 3073-byte records: one label byte (0–9), then a 32×32 image as 1024 red, 1024 green
 * and 1024 blue bytes, each plane row-major — already the [C,H,W] layout dropgrad uses.
 */

export const cifar10ImageShape: readonly [number, number, number] = [3, 32, 32];
export const cifar10Classes = 10;
/** CIFAR-10's labels 0–9, as batches.meta.txt names them. */
export const cifar10ClassNames: readonly string[] = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
];
export const cifar10ImageBytes = 3 * 32 * 32;
/** One label byte, then the image. */
export const cifar10RecordBytes = 1 + cifar10ImageBytes;
/** Records in each batch file: the format declares no size, so this is what bounds a read. */
export const cifar10BatchRecords = 10000;

export interface Cifar10Records {
  /** count × 3072 bytes, image after image, each [3,32,32]. */
  pixels: Uint8Array;
  labels: Uint8Array;
  count: number;
}

/** Splits CIFAR-10 records into pixels and labels. `source` names the data in error messages. */
export function readCifar10(bytes: Uint8Array, source = 'the CIFAR-10 data'): Cifar10Records {
  if (bytes.length === 0 || bytes.length % cifar10RecordBytes !== 0) {
    const whole = Math.floor(bytes.length / cifar10RecordBytes);
    throw new Error(
      `readCifar10: ${source} holds ${bytes.length} bytes, not a positive multiple of the ${cifar10RecordBytes}-byte record (1 label + 3×32×32 pixels): ${whole} whole records and ${bytes.length % cifar10RecordBytes} bytes over`,
    );
  }
  const count = bytes.length / cifar10RecordBytes;
  const pixels = new Uint8Array(count * cifar10ImageBytes);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const record = i * cifar10RecordBytes;
    const label = bytes[record];
    if (label >= cifar10Classes) {
      throw new RangeError(`readCifar10: ${source} record ${i} (byte ${record}) has label ${label}; CIFAR-10 labels are 0..9`);
    }
    labels[i] = label;
    pixels.set(bytes.subarray(record + 1, record + cifar10RecordBytes), i * cifar10ImageBytes);
  }
  return { pixels, labels, count };
}
