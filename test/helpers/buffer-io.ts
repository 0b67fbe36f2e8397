/** A CliIO that collects what a command writes, for the CLI specs. */
import { CliIO } from '../../app/cli/io';

export interface BufferIO extends CliIO {
  stdout: () => string;
  stderr: () => string;
}

export function bufferIO(): BufferIO {
  let out = '';
  let err = '';
  return {
    out: { write: (t: string) => void (out += t), isTTY: false },
    err: { write: (t: string) => void (err += t) },
    stdout: () => out,
    stderr: () => err,
  };
}
