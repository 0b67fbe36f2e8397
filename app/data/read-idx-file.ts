/** Node-only: an IDX file on disk (see readIdx in idx.ts), plain or gzipped, read no further than asked. */
import { gunzipSync } from 'node:zlib';
import { type IdxArray, idxRecords, idxSizeError, maxIdxHeaderBytes, readIdxHeader } from './idx';
import type { Gunzip } from './gunzip-bounded';
import { withRegularFile } from '../serialization/regular-file';
import { formatValue } from '../../base/shape';
import { checkOptions, optionKeys } from '../../lib/validate';
import { fileContent, readingFile } from './data-file-content';

export interface ReadIdxFileOptions {
  /** Read only the first `limit` records (images, labels): the rest is neither read nor decompressed. */
  limit?: number;
  /** gzip decompression (node:zlib's gunzipSync); replaceable, e.g. to count the bytes inflated. */
  gunzip?: Gunzip;
}
const readIdxFileOptionKeys = optionKeys<ReadIdxFileOptions>({ limit: true, gunzip: true });

/**
 * Reads and parses an IDX file (see readIdx), plain or gzipped: its header first, then only the
 * records asked for, never more than the header declares. A gzipped file is decompressed only
 * that far, so a .gz holding more than its header declares (a gzip bomb) is refused as soon as
 * the output passes the declared size. With `limit`, the records past it are not checked.
 */
export function readIdxFile(path: string, options: ReadIdxFileOptions = {}): IdxArray {
  const { limit, gunzip = gunzipSync } = checkOptions('readIdxFile', options, readIdxFileOptionKeys);
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0)) {
    throw new RangeError(`readIdxFile: limit must be a non-negative integer, got ${formatValue(limit)}`);
  }
  const reading = <T>(read: () => T): T => readingFile('readIdxFile', path, read);
  return withRegularFile('readIdxFile', path, (file) => {
    const content = reading(() => fileContent(file, gunzip));
    const header = readIdxHeader(
      reading(() => content.prefix(maxIdxHeaderBytes)),
      path,
    );
    const count = Math.min(limit ?? Number.POSITIVE_INFINITY, header.shape[0]);
    const wanted = header.headerBytes + count * header.recordBytes;
    const bytes = reading(() => (count < header.shape[0] ? content.prefix(wanted) : content.whole(wanted)));
    if (bytes === undefined) throw idxSizeError(header, content.size === undefined ? 'more' : content.size - header.headerBytes, path);
    if (bytes.length < wanted) throw idxSizeError(header, bytes.length - header.headerBytes, path);
    return idxRecords(header, bytes, count);
  });
}
