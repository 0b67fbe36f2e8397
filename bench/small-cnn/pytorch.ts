/**
 * The PyTorch rows: bench/peers/torch_small_cnn.py in a child process that stays alive, fed the
 * batch once and then asked for a few steps per round over stdin, answering on stdout (see the
 * script for the protocol). Its times are taken inside the child, so pipe latency is not counted.
 * One child per row: a mode (training steps from PyTorch's own initial weights, or eval-mode
 * inference with the weights given), a batch, a thread count (torch.set_num_threads, and
 * OMP_NUM_THREADS so that the OpenMP pool is that size from the start) and a drop layer, if any.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { SystemOrUnavailable, Timing } from '../interleave';
import { threadsName } from '../harness';
import type { TrainBatch } from './batch';

const python = '/usr/bin/python3';
const script = join(__dirname, '..', 'peers', 'torch_small_cnn.py');
const howToInstall = 'needs /usr/bin/python3 with PyTorch: apt-get install python3-torch';

type Reply = { ready: true; torch: string; threads: number } | { unavailable: string } | Timing;

export async function pytorchSystem(
  mode: 'train' | 'infer',
  batch: TrainBatch,
  threads: number,
  stepsPerRound: number,
  /** For inference: the model's stateDict values but num_batches_tracked, in its order (PyTorch's). */
  weights: readonly Float32Array[] = [],
  /** A drop layer in the model (the script's TECHNIQUES), none by default. */
  technique = 'none',
): Promise<SystemOrUnavailable> {
  const [count, , size] = batch.shape;
  const suffix = technique === 'none' ? '' : `, ${technique}`;
  const unnamed = { name: `PyTorch (${threadsName(threads)}${suffix})`, batch: count };
  if (!existsSync(python)) return { ...unnamed, unavailable: `${python} not found; ${howToInstall}` };
  const args = [script, mode, String(threads), String(count), String(size), String(batch.classes), technique];
  const child: ChildProcessWithoutNullStreams = spawn(python, args, {
    // OpenMP's threads spin while they wait by default. On this shared 2-core machine that made
    // PyTorch's 2-thread step 5–8× slower than its 1-thread step (load 5, 7 Dec 2026): a spinning
    // thread holds a core the one with work needs. Passive waiting brought it back level with one
    // thread, so the rows measure PyTorch rather than the spinning (dropgrad's pool waits in
    // Atomics.wait in Node). On a machine of one's own, OMP_WAIT_POLICY=ACTIVE in the bench's
    // environment measures PyTorch's default.
    env: {
      ...process.env,
      OMP_NUM_THREADS: String(threads),
      MKL_NUM_THREADS: String(threads),
      OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY ?? 'PASSIVE',
    },
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

  for (const array of [batch.images, batch.labels, ...weights])
    child.stdin.write(Buffer.from(array.buffer, array.byteOffset, array.byteLength));
  let hello: Reply;
  try {
    hello = await next();
  } catch (error) {
    child.kill();
    return { ...unnamed, unavailable: `${(error as Error).message}; ${howToInstall}` };
  }
  if ('unavailable' in hello) return { ...unnamed, unavailable: hello.unavailable };
  if (!('ready' in hello)) throw new Error(`${script}: expected its ready line, got ${JSON.stringify(hello)}`);
  return {
    name: `PyTorch ${hello.torch} (${threadsName(hello.threads)}${suffix})`,
    batch: count,
    stepsPerRound,
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
