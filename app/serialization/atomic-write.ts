/**
 * Node-only: replace a file so that readers (and a crash) see either the old content or the new,
 * never half of it. The bytes go to a temporary file beside the target (same directory, so the
 * rename stays on one filesystem, where POSIX rename is atomic), are flushed to disk, and the
 * temporary file is then renamed over the target. On any error the temporary file is removed and
 * the target is left as it was.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';

/** Writes `bytes` to a new file at `path` (the temporary one). */
export type TemporaryFileWriter = (path: string, bytes: Uint8Array) => void;

/** Writes and fsyncs, so the rename never publishes a file whose data is still in the page cache. */
export const writeDurably: TemporaryFileWriter = (path, bytes) => {
  const fd = openSync(path, 'wx');
  try {
    for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
};

/** Atomically replaces (or creates) `path` with `bytes`; `write` is replaceable to test failures. */
export function writeFileAtomic(path: string, bytes: Uint8Array, write: TemporaryFileWriter = writeDurably): void {
  const temporary = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  try {
    write(temporary, bytes);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
