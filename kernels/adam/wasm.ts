/**
 * Adam's step on the wasm backend: ONE call of kernels/wasm/assembly/adam.ts updates every
 * parameter, the threads splitting their elements. Arrays living in the wasm memory (Adam's state)
 * are read and written where they are; any other (parameters, gradients) is copied in and out.
 * float64 parameters, and parameters whose memory overlaps another's or a gradient it is not
 * (which the js loop's one-after-another order would see), take the js loop.
 */
import type { TypedArray } from '../../base/dtype';
import { callFrame } from '../wasm/call-frame';
import { runKernel, splitFor } from '../wasm/thread-pool';
import { wasmOrJs } from '../wasm/wasm-or-js';
import { jsAdam } from './js';
import { type AdamKernels, type AdamSlot, adamFactorNames } from './kernels';

/** The i32 slots of one parameter in the kernel's table: param, grad, exp_avg, exp_avg_sq addresses, then the length. */
const tableColumns = 5;

export const wasmAdam: AdamKernels = {
  step(slots, factors) {
    const js = () => jsAdam.step(slots, factors);
    if (slots.length === 0) return;
    if (writesOverlap(slots)) {
      js();
      return;
    }
    const operands = slots.flatMap(({ param, grad, expAvg, expAvgSq }) => [param, grad, expAvg, expAvgSq]);
    wasmOrJs(
      operands,
      (wasm) => {
        const frame = callFrame(wasm);
        const table = new Int32Array(slots.length * tableColumns);
        let total = 0;
        slots.forEach(({ param, grad, expAvg, expAvgSq }, i) => {
          const addresses = [param, grad, expAvg, expAvgSq].map((array) => frame.input(array as Float32Array));
          table.set([...addresses, param.length], i * tableColumns);
          total += param.length;
        });
        const factorTable = Float64Array.from(adamFactorNames, (name) => factors[name]);
        const args = frame.args('adamStep', { count: slots.length, table: frame.input(table), factors: frame.input(factorTable) });
        runKernel(wasm, 'adamStep', args, splitFor(wasm, 'adam', Math.ceil(total / 4), total));
        slots.forEach(({ param, expAvg, expAvgSq }, i) => {
          frame.output(table[i * tableColumns], param as Float32Array);
          frame.output(table[i * tableColumns + 2], expAvg as Float32Array);
          frame.output(table[i * tableColumns + 3], expAvgSq as Float32Array);
        });
      },
      js,
    );
  },
};

/**
 * Whether a parameter's memory overlaps another parameter's or a gradient other than its own (its
 * own exactly is harmless: each element is read before it is written). The js loop updates the
 * parameters one after another, so a later one would see an earlier one's update; one call on
 * several threads, or on copies, would not.
 */
function writesOverlap(slots: readonly AdamSlot[]): boolean {
  return slots.some(({ param }, i) =>
    slots.some(
      ({ param: other, grad }, j) => (i !== j && overlap(param, other)) || (overlap(param, grad) && !(i === j && same(param, grad))),
    ),
  );
}

const overlap = (a: TypedArray, b: TypedArray): boolean =>
  a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;

const same = (a: TypedArray, b: TypedArray): boolean => a.buffer === b.buffer && a.byteOffset === b.byteOffset && a.length === b.length;
