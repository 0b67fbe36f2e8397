/** Where a command writes: stdout and stderr in the CLI, buffers in tests. */
import type { ProgressWriter } from './progress';

export interface CliIO {
  out: ProgressWriter;
  err: ProgressWriter;
}

export const processIO: CliIO = {
  out: {
    write: (text) => process.stdout.write(text),
    get isTTY() {
      return process.stdout.isTTY === true;
    },
    get columns() {
      return process.stdout.columns;
    },
  },
  err: { write: (text) => process.stderr.write(text) },
};

/**
 * Output into a pipe whose reader has gone (`dropgrad gradcheck | head -1`) ends the program quietly
 * with status 0, as Unix tools do, instead of an unhandled EPIPE and a stack trace.
 */
export function endQuietlyWhenThePipeCloses(stream: NodeJS.WritableStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}
