/** A CliIO that collects what a command writes, for the CLI specs; runCli runs a command with one. */
import type { CliIO } from '../../app/cli/io';
import { main } from '../../app/cli/main';

export interface BufferIO extends CliIO {
  stdout: () => string;
  stderr: () => string;
}

export function bufferIO(): BufferIO {
  let out = '';
  let err = '';
  return {
    out: {
      write: (t: string) => {
        out += t;
      },
      isTTY: false,
    },
    err: {
      write: (t: string) => {
        err += t;
      },
    },
    stdout: () => out,
    stderr: () => err,
  };
}

/** Runs `dropgrad <argv…>` in this process: its exit status and what it wrote. */
export async function runCli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = bufferIO();
  const code = await main(argv, io);
  return { code, out: io.stdout(), err: io.stderr() };
}
