/**
 * The code each worker thread runs, as a string: a worker must be started from source, and a
 * string is the one form that Node (new Worker(code, { eval: true })) and a browser (a Blob URL)
 * both accept with no file to serve. It instantiates the same module on the same shared memory,
 * counts itself ready, then waits for work on the control block (see thread-pool.ts for its
 * layout): worker `thread` (1…) runs kernel `kernel` on `args` as share `thread − 1` of `threads`
 * when there are that many, and counts itself done.
 */
import { Control } from './control';

export const workerSource = `
'use strict';
function start({ module, memory, control, thread, kernelNames }) {
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const kernels = kernelNames.map((name) => exports[name]);
  const state = new Int32Array(control);
  Atomics.add(state, ${Control.ready}, 1);
  Atomics.notify(state, ${Control.ready});
  let seen = 0;
  for (;;) {
    Atomics.wait(state, ${Control.generation}, seen);
    seen = Atomics.load(state, ${Control.generation});
    const kernel = state[${Control.kernel}];
    if (kernel < 0) return;
    const threads = state[${Control.threads}];
    if (thread < threads) {
      try {
        kernels[kernel](state[${Control.args}], thread - 1, threads);
      } catch (error) {
        Atomics.store(state, ${Control.failed}, 1);
      }
    }
    Atomics.add(state, ${Control.done}, 1);
    Atomics.notify(state, ${Control.done});
  }
}
if (typeof require === 'function') start(require('node:worker_threads').workerData);
else self.onmessage = (event) => start(event.data);
`;
