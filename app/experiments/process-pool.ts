/**
 * Tasks run in N child processes of this same CLI: a fork of process.argv[1] with
 * process.execArgv, so it works from the TypeScript sources (run by tsx) and from dist/cli.cjs.
 * A child knows it is a worker from DROPGRAD_WORKER (the kind of task it serves, see
 * app/cli/main.ts) and takes its tasks over the IPC channel, one at a time, as it finishes the
 * last. Results come back in task order, so the caller sees the same thing for any number of
 * children. A child that reports an error, or dies, fails the whole pool with its message; the
 * other children are stopped.
 */
import { type ChildProcess, fork } from 'node:child_process';

export const workerVariable = 'DROPGRAD_WORKER';

/** How to start the CLI again. */
export interface CliEntry {
  path: string;
  execArgv: readonly string[];
}

export const thisCli = (): CliEntry => ({ path: process.argv[1], execArgv: process.execArgv });

interface Request<T> {
  index: number;
  task: T;
}
type Reply<R> = { index: number; result: R } | { index: number; error: string };

export interface PoolOptions<T, R> {
  /** The worker kind, DROPGRAD_WORKER's value in the children. */
  worker: string;
  jobs: number;
  cli?: CliEntry;
  /** A task as a failure message names it, e.g. "dropout, seed 3". */
  describe: (task: T) => string;
  /** Called as each result arrives (in completion order). */
  onResult?: (result: R, task: T) => void;
  /** Where the children's own output goes (their stdout too: the parent's stdout may be JSON). */
  log: (text: string) => void;
}

export function runInChildProcesses<T, R>(tasks: readonly T[], options: PoolOptions<T, R>): Promise<R[]> {
  const { cli = thisCli(), describe, log } = options;
  // One wasm thread per child unless asked otherwise: the children already fill the cores.
  const env = { ...process.env, DROPGRAD_THREADS: process.env.DROPGRAD_THREADS ?? '1', [workerVariable]: options.worker };
  const results: R[] = new Array(tasks.length);
  const count = Math.min(options.jobs, tasks.length);
  return new Promise((resolve, reject) => {
    if (count === 0) return resolve(results);
    const children: ChildProcess[] = [];
    let [next, closed, failed] = [0, 0, false];
    const fail = (message: string): void => {
      if (failed) return;
      failed = true;
      for (const child of children) child.kill();
      reject(new Error(message));
    };
    for (let k = 0; k < count; k++) {
      const child = fork(cli.path, [options.worker], { execArgv: [...cli.execArgv], env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
      children.push(child);
      let current: number | undefined;
      let tail = '';
      const onOutput = (chunk: Buffer): void => {
        tail = (tail + chunk.toString()).slice(-2000);
        log(chunk.toString());
      };
      child.stdout?.on('data', onOutput);
      child.stderr?.on('data', onOutput);
      const giveNext = (): void => {
        if (failed) return;
        if (next < tasks.length) {
          current = next++;
          child.send({ index: current, task: tasks[current] } satisfies Request<T>);
        } else {
          current = undefined;
          child.disconnect(); // the child exits when its channel closes
        }
      };
      child.on('message', (reply: Reply<R>) => {
        if ('error' in reply) return fail(`${describe(tasks[reply.index])}: ${reply.error}`);
        results[reply.index] = reply.result;
        options.onResult?.(reply.result, tasks[reply.index]);
        giveNext();
      });
      child.on('error', (error) => fail(`a worker process (${cli.path}) failed: ${error.message}`));
      // Judged once the child has exited AND its output has ended, so that its last words on stderr
      // are in the message. (Not 'close': with the IPC channel it did not fire on Node 20.)
      let pending = 3;
      let exit = '';
      const settle = (): void => {
        if (--pending > 0) return;
        const said = tail.trim() ? `:\n${tail.trim()}` : '';
        if (current !== undefined) fail(`the worker running ${describe(tasks[current])} ended (${exit}) without a result${said}`);
        else if (exit !== 'exit code 0') fail(`a worker process ended with ${exit}${said}`);
        else if (++closed === count) resolve(results);
      };
      child.stdout?.on('end', settle);
      child.stderr?.on('end', settle);
      child.on('exit', (code, signal) => {
        exit = signal ?? `exit code ${code}`;
        settle();
      });
      giveNext();
    }
  });
}

/** The tasks one after the other in this process (jobs 1), or in child processes: the same results, in task order. */
export async function runTasks<T, R>(tasks: readonly T[], runHere: (task: T) => Promise<R>, options: PoolOptions<T, R>): Promise<R[]> {
  if (options.jobs > 1) return runInChildProcesses(tasks, options);
  const results: R[] = [];
  for (const task of tasks) {
    const result = await runHere(task);
    results.push(result);
    options.onResult?.(result, task);
  }
  return results;
}

/** The child's side: runs each task it is sent and answers with its result or its error message. */
export function serveTasks<T, R>(run: (task: T) => Promise<R>): void {
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error(`${workerVariable} is set, but this process has no IPC channel to its parent`);
  process.on('message', (request: Request<T>) => {
    run(request.task).then(
      (result) => send({ index: request.index, result } satisfies Reply<R>),
      (error: unknown) => send({ index: request.index, error: error instanceof Error ? error.message : String(error) } satisfies Reply<R>),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
