/**
 * Node-only: a data file's content, plain or gzipped, read only as far as a loader asks. The
 * byte-level parsers (idx.ts, cifar10.ts) and the dataset builders (dataset.ts) stay free of `fs`
 * so a browser bundle can use them on fetched bytes; the readers on disk share this.
 */
import { type Gunzip, gunzipAtMost, gunzipPrefix } from './gunzip-bounded';
import { type RegularFile, readExactly } from '../serialization/regular-file';
import { isGzip } from './gzip';

/** Reading and decompressing fail with the system's words: this says which file they are about. */
export function readingFile<T>(where: string, path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new Error(`${where}: cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The content of an open data file, gunzipped when it is gzip data, read only as far as asked. */
export interface FileContent {
  /** The first `length` bytes, or all when there are fewer. */
  prefix(length: number): Uint8Array;
  /** All of it, or undefined when it holds more than `length` bytes (found without reading them all). */
  whole(length: number): Uint8Array | undefined;
  /** Its size when known without reading it (a plain file). */
  size?: number;
}

export function fileContent(file: RegularFile, gunzip: Gunzip): FileContent {
  const read = (length: number): Uint8Array => readExactly(file, 0, Math.min(length, file.size));
  if (!isGzip(read(2))) return { prefix: read, whole: (length) => (file.size > length ? undefined : read(length)), size: file.size };
  // The compressed bytes are read whole: a bounded read of the file, unlike inflating them.
  const compressed = read(file.size);
  return { prefix: (length) => gunzipPrefix(compressed, length, gunzip), whole: (length) => gunzipAtMost(compressed, length, gunzip) };
}
