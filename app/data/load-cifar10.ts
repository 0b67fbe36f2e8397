/** Node-only: CIFAR-10 from its binary batch files on disk, plain or gzipped. */
import { gunzipSync } from 'node:zlib';
import type { Gunzip } from './gunzip-bounded';
import { withRegularFile } from '../serialization/regular-file';
import { checkOptions, checkPositiveInteger, optionKeys } from '../../lib/validate';
import { fileContent, readingFile } from './data-file-content';
import {
  type Cifar10Records,
  cifar10BatchRecords,
  cifar10ClassNames,
  cifar10ImageBytes,
  cifar10ImageShape,
  cifar10RecordBytes,
  readCifar10,
} from './cifar10';
import { type ImageDataset, type ImageDatasetOptions, cifar10Normalization, imageDataset } from './dataset';

export interface LoadCifar10Options extends ImageDatasetOptions {
  /** Read only the first `limit` images of the files together: the rest is neither read nor decompressed, later files not opened. */
  limit?: number;
  /** gzip decompression (node:zlib's gunzipSync); replaceable, e.g. to count the bytes inflated. */
  gunzip?: Gunzip;
}
const loadCifar10OptionKeys = optionKeys<LoadCifar10Options>({
  normalization: true,
  classes: true,
  classNames: true,
  limit: true,
  gunzip: true,
});

/**
 * The first `limit` records of a CIFAR-10 batch file, plain or gzipped. The format declares no
 * size, so a batch's 10000 records bound what is read or inflated (a gzip bomb is refused as soon
 * as the output passes them); with a smaller limit only that far.
 */
function readCifar10File(path: string, limit: number, gunzip: Gunzip): Cifar10Records {
  const batchBytes = cifar10BatchRecords * cifar10RecordBytes;
  return withRegularFile('loadCifar10', path, (file) => {
    const bytes = readingFile('loadCifar10', path, () => {
      const content = fileContent(file, gunzip);
      return limit < cifar10BatchRecords ? content.prefix(limit * cifar10RecordBytes) : content.whole(batchBytes);
    });
    if (bytes === undefined) {
      throw new Error(
        `loadCifar10: ${path} holds more than a CIFAR-10 batch (${cifar10BatchRecords} records of ${cifar10RecordBytes} bytes)`,
      );
    }
    return readCifar10(bytes, path);
  });
}

/**
 * CIFAR-10 from one or more binary batch files (data_batch_1.bin … or test_batch.bin), plain or
 * gzipped, in the order given, normalised with CIFAR-10's per-channel statistics by default.
 */
export function loadCifar10(paths: readonly string[], options: LoadCifar10Options = {}): ImageDataset {
  const { limit, gunzip = gunzipSync, ...datasetOptions } = checkOptions('loadCifar10', options, loadCifar10OptionKeys);
  if (limit !== undefined) checkPositiveInteger('loadCifar10', 'limit', limit);
  if (paths.length === 0) throw new RangeError('loadCifar10: give at least one batch file');
  const parts: Cifar10Records[] = [];
  let wanted = limit ?? Number.POSITIVE_INFINITY;
  for (const path of paths) {
    if (wanted === 0) break;
    const part = readCifar10File(path, wanted, gunzip);
    parts.push(part);
    wanted -= part.count;
  }
  const count = parts.reduce((n, part) => n + part.count, 0);
  const pixels = new Uint8Array(count * cifar10ImageBytes);
  const labels = new Uint8Array(count);
  let at = 0;
  for (const part of parts) {
    pixels.set(part.pixels, at * cifar10ImageBytes);
    labels.set(part.labels, at);
    at += part.count;
  }
  return imageDataset(pixels, labels, cifar10ImageShape, {
    normalization: cifar10Normalization,
    classNames: cifar10ClassNames,
    ...datasetOptions,
  });
}
