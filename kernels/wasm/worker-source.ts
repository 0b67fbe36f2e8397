/**
 * The code each worker thread runs, as a string: a worker must be started from source, and a
 * string is the one form that Node (new Worker(code, { eval: true })) and a browser (a Blob URL)
 * both accept with no file to serve. It instantiates the same module on the same shared memory,
 * marks itself up, then waits for work on the control block (see control.ts for its layout),
 * spinning for spinMs after each job before it sleeps in Atomics.wait:
 * worker `thread` (1…) runs kernel `kernel` on `args` as share `thread − 1` of `threads` when there
 * are that many, and records the job's generation as finished. A share is computed at most once
 * (an accumulating kernel computed twice would double its output): only for a generation it has
 * not seen, only while the pool still wants this worker (its id in its life slot), and only by the
 * worker that claims it first (control.ts, WorkerField.claim).
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
  const finished = ${slotOf(WorkerField.finished)};
  const claim = ${slotOf(WorkerField.claim)};
  let seen = Atomics.load(state, ${Control.generation});
  Atomics.store(state, finished, seen);
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
    if (generation === seen) continue; // woken with no new job: nothing to run
    seen = generation;
    if (Atomics.load(state, life) !== id) return; // retired (or given up for dead): take no more jobs
    Atomics.add(state, ${Control.started}, 1);
    const threads = state[${Control.threads}];
    if (thread < threads) {
      if (Atomics.compareExchange(state, claim, 0, id) === 0) {
        try {
          kernels[state[${Control.kernel}]](state[${Control.args}], thread - 1, threads);
        } catch (error) {
          Atomics.store(state, ${Control.failed}, 1);
        }
      } else {
        Atomics.add(state, ${Control.duplicates}, 1);
      }
    }
    Atomics.store(state, finished, seen);
    Atomics.add(state, ${Control.done}, 1);
    Atomics.notify(state, ${Control.done});
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
