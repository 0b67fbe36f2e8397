/**
 * Device nodes and FIFOs in a test's own directory, for the specs of what we refuse to read or
 * replace. Never the real /dev/null or /dev/zero: a spec that failed would replace them for the
 * whole machine.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** A FIFO (named pipe) at `dir/name`. */
export function makeFifo(dir: string, name = 'fifo'): string {
  const path = join(dir, name);
  execFileSync('mkfifo', [path]);
  return path;
}

/**
 * A character device at `dir/name` with the major and minor numbers of /dev/null (1 3) or, with
 * `zero`, of /dev/zero (1 5). Making one needs root: the calling test skips, saying so, without it.
 */
export function makeCharacterDevice(context: Mocha.Context, dir: string, { name = 'null', zero = false } = {}): string {
  if (process.getuid?.() !== 0) {
    console.warn('      skipped: making a device node (mknod) needs root');
    context.skip();
  }
  const path = join(dir, name);
  execFileSync('mknod', [path, 'c', '1', zero ? '5' : '3']);
  return path;
}
