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
