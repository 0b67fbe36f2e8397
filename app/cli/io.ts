/** Where a command writes: stdout and stderr in the CLI, buffers in tests. */
import type { ProgressWriter } from './progress';

export interface CliIO {
  out: ProgressWriter;
  err: ProgressWriter;
}

/**
 * The terminal's width: the tty's own, else $COLUMNS, as curses and Python read it (a pty made by
 * `script` without a terminal reports 0 columns), else unknown.
 */
export function terminalColumns(ttyColumns: number | undefined, env: Record<string, string | undefined>): number | undefined {
  if (ttyColumns) return ttyColumns;
  const fromEnvironment = Number(env.COLUMNS);
  return env.COLUMNS && Number.isInteger(fromEnvironment) && fromEnvironment > 0 ? fromEnvironment : undefined;
}

export const processIO: CliIO = {
  out: {
    write: (text) => process.stdout.write(text),
    get isTTY() {
      return process.stdout.isTTY === true;
    },
    get columns() {
      return terminalColumns(process.stdout.columns, process.env);
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
