/**
 * Node-only: regular files, told apart from everything else a path can name, and read in bounded
 * pieces. We read and replace only regular files: a device (/dev/zero) or a FIFO has no size to
 * bound a read by and would be read forever, opening a FIFO for reading waits until some writer
 * opens it, and renaming a file over /dev/null replaces the device node for every other program.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/**
 * The part of node:fs's Stats that tells a file's kind; declared here so that the package's public
 * types need no @types/node in a consumer's project.
 */
export interface FileKindStats {
  isFile(): boolean;
  isDirectory(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
}

/** What `stats` describe, for messages: "a character device", "a FIFO (named pipe)", … */
export function fileKind(stats: FileKindStats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** A regular file open for reading, with its size when opened. */
export interface RegularFile {
  path: string;
  fd: number;
  size: number;
}

/**
 * Runs `use` on `path` opened for reading (symlinks followed), closing it after. A path that
 * cannot be opened or is not a regular file is an error `<where>: cannot read <path>: …` naming
 * its kind. Opened non-blocking so that a FIFO is refused at once instead of waiting for a writer
 * (the flag changes nothing for a regular file).
 */
export function withRegularFile<T>(where: string, path: string, use: (file: RegularFile) => T): T {
  let fd: number | undefined;
  let size: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new Error(`${path} is ${fileKind(stats)}, expected a regular file`);
    size = stats.size;
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    throw new Error(`${where}: cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return use({ path, fd, size });
  } finally {
    closeSync(fd);
  }
}

/** Exactly `length` bytes of `file` from byte `position`; a file that ends sooner (cut while read) is an error. */
export function readExactly(file: RegularFile, position: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let done = 0; done < length; ) {
    const read = readSync(file.fd, bytes, done, length - done, position + done);
    if (read === 0) {
      throw new Error(`${file.path} ended at byte ${position + done}, before byte ${position + length} (was it cut while being read?)`);
    }
    done += read;
  }
  return bytes;
}
