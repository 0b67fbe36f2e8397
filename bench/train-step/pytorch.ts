/**
 * The PyTorch row: bench/peers/torch_train_step.py in a child process that stays alive, fed the
 * shared batch once and then asked for a few steps per round over stdin, answering on stdout (see
 * the script for the protocol). Its times are taken inside the child, so pipe latency is not
 * counted. One thread (torch.set_num_threads(1), OMP_NUM_THREADS=1): the yardstick.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { TrainBatch } from './batch';
import type { StepsTiming, SystemOrUnavailable } from './system';

const unnamed = 'PyTorch (1 thread)';
const python = '/usr/bin/python3';
const script = join(__dirname, '..', 'peers', 'torch_train_step.py');
const howToInstall = 'needs /usr/bin/python3 with PyTorch: apt-get install python3-torch';

type Reply = { ready: true; torch: string; threads: number } | { unavailable: string } | StepsTiming;

export async function pytorchSystem(batch: TrainBatch): Promise<SystemOrUnavailable> {
  if (!existsSync(python)) return { name: unnamed, unavailable: `${python} not found; ${howToInstall}` };
  const [size, classes] = [batch.shape[2], batch.classes];
  const child: ChildProcessWithoutNullStreams = spawn(python, [script, String(batch.shape[0]), String(size), String(classes)], {
    env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // A child that exits early (no torch) closes its stdin under our writes: its reply says why.
  child.stdin.on('error', () => {});
  const replies = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<Reply> => {
    const { value, done } = await replies.next();
    if (done) throw new Error(`${script} exited: ${stderr.trim().split('\n').pop() || 'no message on stderr'}`);
    return JSON.parse(value) as Reply;
  };

  child.stdin.write(Buffer.from(batch.images.buffer, batch.images.byteOffset, batch.images.byteLength));
  child.stdin.write(Buffer.from(batch.labels.buffer, batch.labels.byteOffset, batch.labels.byteLength));
  let hello: Reply;
  try {
    hello = await next();
  } catch (error) {
    child.kill();
    return { name: unnamed, unavailable: `${(error as Error).message}; ${howToInstall}` };
  }
  if ('unavailable' in hello) return { name: unnamed, unavailable: hello.unavailable };
  if (!('ready' in hello)) throw new Error(`${script}: expected its ready line, got ${JSON.stringify(hello)}`);
  return {
    name: `PyTorch ${hello.torch} (${hello.threads} thread${hello.threads === 1 ? '' : 's'})`,
    stepsPerRound: 5,
    async run(steps) {
      child.stdin.write(`run ${steps}\n`);
      const timing = await next();
      if (!('ms' in timing)) throw new Error(`${script}: expected a timing, got ${JSON.stringify(timing)}`);
      return timing;
    },
    close() {
      child.stdin.end();
    },
  };
}
