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

/** Streams whose reader has gone: what is written to them from then on is dropped. */
const closedStreams = new WeakSet<NodeJS.WritableStream>();

const writeUnlessClosed = (stream: NodeJS.WritableStream, text: string): void => {
  if (!closedStreams.has(stream)) stream.write(text);
};

export const processIO: CliIO = {
  out: {
    write: (text) => writeUnlessClosed(process.stdout, text),
    get isTTY() {
      return process.stdout.isTTY === true;
    },
    get columns() {
      return terminalColumns(process.stdout.columns, process.env);
    },
  },
  err: { write: (text) => writeUnlessClosed(process.stderr, text) },
};

/**
 * Output into a pipe whose reader has gone (`dropgrad train --save ck.safetensors | head -1`) is
 * dropped from then on, silently, and the work goes on: the checkpoint or report it was making is
 * still made, and the exit status is the work's own. (Unix tools die of SIGPIPE instead; a training
 * run that stops there would lose what it was saving.) Writes already under way when the EPIPE
 * arrives fail too: once closed, every error of the stream is that one.
 */
export function keepWorkingWhenThePipeCloses(stream: NodeJS.WritableStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && !closedStreams.has(stream)) throw error;
    closedStreams.add(stream);
  });
}
