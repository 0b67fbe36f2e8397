/**
 * The code each worker thread runs, as a string: a worker must be started from source, and a
 * string is the one form that Node (new Worker(code, { eval: true })) and a browser (a Blob URL)
 * both accept with no file to serve. It instantiates the same module on the same shared memory,
 * marks itself up, then waits for work on the control block (see control.ts for its layout),
 * spinning for spinMs after each job before it sleeps in Atomics.wait. For each job it reads the
 * job's slots (between two equal even generations, so never half of one job and half of the next),
 * and worker `thread` (1…) takes part when the job allows that many threads: it claims shares one at
 * a time, as the caller does, and runs kernel `kernel` on `args` for each, with workspace `thread − 1`.
 * A share is computed at most once — an accumulating kernel computed twice would double its output
 * — because claiming moves the one shared counter on (control.ts, nextShare); and a thread's
 * workspace serves one worker at a time: only a worker that moves its thread's claim slot to the
 * job's generation takes part, and only while the pool still wants it (its id in its life slot).
 *
 * In Node it also holds `lifeline`, a MessagePort whose other end the pool's watchdog thread
 * listens to: when this thread ends, however it ends, the port closes and the watchdog marks the
 * worker dead, waking a caller blocked in Atomics.wait (thread-pool.ts).
 */
import { Control, WorkerField, workerSlot } from './control';
import { spinMs } from './thread-cost';

/** The worker's slot of `field`, as an expression of its `thread` in the worker's source. */
const slotOf = (field: number) => `${workerSlot(0, field)} + ${workerSlot(1, 0) - workerSlot(0, 0)} * thread`;

export const workerSource = `
'use strict';
let lifeline;
function start({ module, memory, control, thread, id, kernelNames, port }) {
  lifeline = port;
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const kernels = kernelNames.map((name) => exports[name]);
  const state = new Int32Array(control);
  const life = ${slotOf(WorkerField.life)};
  const claim = ${slotOf(WorkerField.claim)};
  let seen = Atomics.load(state, ${Control.generation});
  Atomics.store(state, ${slotOf(WorkerField.up)}, 1);
  Atomics.add(state, ${Control.ready}, 1);
  Atomics.notify(state, ${Control.ready});
  for (;;) {
    // Spin a while for the next job before sleeping: the next kernel call of a step usually comes
    // sooner than a sleeping thread could be woken for it (thread-cost.ts).
    const spinUntil = performance.now() + ${spinMs};
    while (Atomics.load(state, ${Control.generation}) === seen && performance.now() < spinUntil);
    Atomics.wait(state, ${Control.generation}, seen);
    const generation = Atomics.load(state, ${Control.generation});
    if (generation === seen || (generation & 1) !== 0) continue; // no new job, or one still being written
    if (Atomics.load(state, life) !== id) return; // retired (or given up for dead): take no more jobs
    const threads = Atomics.load(state, ${Control.threads});
    const kernel = kernels[Atomics.load(state, ${Control.kernel})];
    const args = Atomics.load(state, ${Control.args});
    const shares = Atomics.load(state, ${Control.shares});
    const first = Atomics.load(state, ${Control.firstShare});
    if (Atomics.load(state, ${Control.generation}) !== generation) continue; // the next job began meanwhile
    seen = generation;
    if (thread >= threads) continue;
    const taken = Atomics.load(state, claim);
    if (taken === generation || Atomics.compareExchange(state, claim, taken, generation) !== taken) {
      Atomics.add(state, ${Control.duplicates}, 1);
      continue;
    }
    for (;;) {
      const next = Atomics.load(state, ${Control.nextShare});
      const share = (next - first) | 0;
      if (share < 0 || share >= shares) break;
      if (Atomics.compareExchange(state, ${Control.nextShare}, next, (next + 1) | 0) !== next) continue;
      try {
        kernel(args, share, shares, thread - 1);
      } catch (error) {
        Atomics.store(state, ${Control.failed}, 1);
      }
      if (Atomics.add(state, ${Control.sharesDone}, 1) + 1 === shares) {
        Atomics.add(state, ${Control.done}, 1);
        Atomics.notify(state, ${Control.done});
      }
    }
  }
}
if (typeof require === 'function') start(require('node:worker_threads').workerData);
else self.onmessage = (event) => start(event.data);
`;

/**
 * The watchdog thread's code (Node only): it is sent each worker's lifeline port with the worker's
 * id, and when a port closes while the pool still wants that worker, it marks it dead and wakes
 * the caller. Its own event loop is free, unlike the caller's, which may be blocked in a call.
 */
export const watchdogSource = `
'use strict';
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ control, port, slot, id }) => {
  const state = new Int32Array(control);
  port.on('close', () => {
    if (Atomics.compareExchange(state, slot, id, -1) !== id) return;
    Atomics.add(state, ${Control.done}, 1);
    Atomics.notify(state, ${Control.done});
  });
  port.start();
});
`;
