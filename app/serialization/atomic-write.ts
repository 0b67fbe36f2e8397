/**
 * Node-only: replace a file so that readers (and a crash) see either the old content or the new,
 * never half of it. The bytes go to a temporary file beside the target (same directory, so the
 * rename stays on one filesystem, where POSIX rename is atomic), are flushed to disk, and the
 * temporary file is then renamed over the target; the directory is flushed too, so the rename
 * itself survives a power cut. On any error the temporary file is removed and the target is left
 * as it was.
 *
 * Only a regular file is replaced: a directory, a device (/dev/null), a FIFO or a socket at `path`
 * is refused, naming its kind, before anything is written. A symlink to a regular file is followed:
 * the file it leads to is replaced (atomically, beside itself) and the link is kept, as `cp` or a
 * shell's `>` would write through it. A symlink to anything else, or to nothing, is refused,
 * naming the link and what it leads to.
 *
 * A process killed mid-write cannot remove its temporary file; the next write of the same target
 * removes such leftovers: files named `<target>.tmp-<pid>-<random>` whose process no longer runs.
 */
import {
  type Stats,
  closeSync,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileKind } from './regular-file';

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

const temporaryName = (path: string): string => `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the temporary files of earlier writes of `path` whose writer is gone (killed mid-write). */
export function removeStaleTemporaries(path: string): string[] {
  const ours = new RegExp(`^${escapeRegExp(basename(path))}\\.tmp-(\\d+)-[0-9a-z]{1,8}$`);
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return removed; // the write itself will report an unreadable directory
  }
  for (const name of names) {
    const pid = Number(ours.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || isRunning(pid)) continue;
    try {
      rmSync(join(dirname(path), name));
      removed.push(name);
    } catch {
      // Another process may have removed it first; a leftover we cannot remove is not our failure.
    }
  }
  return removed;
}

/** Flushes a directory's entries (the rename) to disk; platforms that cannot (Windows) skip it. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not supported for directories here (EISDIR, EINVAL, EPERM): the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The error of a failed write, naming the target (the temporary file's name means nothing to a user). */
function naming(path: string, temporary: string, error: unknown): Error {
  if (!(error instanceof Error)) return new Error(`cannot write ${path}: ${String(error)}`);
  const message = error.message.split(temporary).join(path);
  return message.includes(path) ? Object.assign(error, { message }) : Object.assign(error, { message: `cannot write ${path}: ${message}` });
}

function kind(path: string): 'missing' | 'directory' | 'file' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'file';
  } catch {
    return 'missing';
  }
}

/**
 * The file a write of `path` replaces: `path` itself when nothing or a regular file is there, the
 * regular file a symlink leads to; or why there is nothing we may replace.
 */
function replaceableTarget(path: string): { target: string } | { refusal: string } {
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch {
    return { target: path }; // nothing there yet (the write reports a missing or unreadable directory)
  }
  if (stats.isFile()) return { target: path };
  if (!stats.isSymbolicLink()) return { refusal: `${path} is ${fileKind(stats)}, expected a regular file` };
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return { refusal: `${path} is a symlink to ${readlinkSync(path)}, which does not exist; expected a regular file` };
  }
  const leadsTo = statSync(real);
  return leadsTo.isFile()
    ? { target: real }
    : { refusal: `${path} is a symlink to ${real}, which is ${fileKind(leadsTo)}; expected a regular file` };
}

/** Atomically replaces (or creates) `path` with `bytes`; `write` is replaceable to test failures. */
export function writeFileAtomic(path: string, bytes: Uint8Array | string, write: TemporaryFileWriter = writeDurably): void {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  if (path === '') throw new Error('cannot write "": expected a file name, got an empty path');
  // Checked before writing: a rename replaces whatever is at the target, a device node included.
  const resolved = replaceableTarget(path);
  if ('refusal' in resolved) throw new Error(`cannot write ${path}: ${resolved.refusal}`);
  const { target } = resolved;
  removeStaleTemporaries(target);
  const temporary = temporaryName(target);
  try {
    write(temporary, data);
    renameSync(temporary, target);
  } catch (error) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // The original error is the one to report, not a failure to clean up after it.
    }
    throw naming(path, temporary, error);
  }
  syncDirectory(dirname(target));
}

/**
 * Why `path` cannot be written by writeFileAtomic, or undefined if it can: checked before long
 * work (a training run, a comparison) so that a typo in an output path fails at once. Creates and
 * removes a probe file in the directory, which catches read-only and special filesystems (/proc).
 */
export function whyNotWritable(path: string): string | undefined {
  if (path === '') return 'expected a file name, got an empty path';
  const resolved = replaceableTarget(path);
  if ('refusal' in resolved) return resolved.refusal;
  const dir = dirname(resolved.target);
  if (kind(dir) === 'missing') return `the directory ${dir} does not exist`;
  if (kind(dir) === 'file') return `${dir} is not a directory`;
  const probe = temporaryName(resolved.target);
  try {
    closeSync(openSync(probe, 'wx'));
    rmSync(probe);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return `cannot create files in ${dir}${code ? ` (${code})` : ''}`;
  }
}
