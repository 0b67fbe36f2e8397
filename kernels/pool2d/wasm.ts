/**
 * pool2d on the wasm backend (float32): runs the kernels of kernels/wasm/assembly/pool2d.ts on the
 * operands in wasm memory (copied in and out unless they live there), the threads splitting the
 * planes. float64 tensors take the js kernels (the wasm kernels are float32 only).
 */
import type { SharedBlock } from '../wasm/argument-blocks';
import { type CallFrame, callFrame } from '../wasm/call-frame';
import type { WasmInstance } from '../wasm/instance';
import type { Split } from '../wasm/thread-cost';
import { runKernel, splitFor } from '../wasm/thread-pool';
import { wasmOrJs } from '../wasm/wasm-or-js';
import type { AvgPool2dGeometry } from './geometry';
import { jsPool2d } from './js';
import type { Pool2dKernels } from './kernels';

const splitForPlanes = (wasm: WasmInstance, family: 'maxPool2d' | 'avgPool2d', planes: number, planeSize: number): Split =>
  splitFor(wasm, family, planes, planes * planeSize);

/** The slots the average passes share: the sizes, then the axis windows as their i32/f64 tables. */
function averageBlock(frame: CallFrame, g: AvgPool2dGeometry): SharedBlock<'avgPool2d'> {
  const { rows, cols } = g;
  return {
    planes: g.planes,
    inH: g.inH,
    inW: g.inW,
    outH: rows.start.length,
    outW: cols.start.length,
    rowStart: frame.input(rows.start),
    rowEnd: frame.input(rows.end),
    rowDivisor: frame.input(rows.divisor),
    colStart: frame.input(cols.start),
    colEnd: frame.input(cols.end),
    colDivisor: frame.input(cols.divisor),
  };
}

export const wasmPool2d: Pool2dKernels = {
  maxPool2dForward(x, g, out, argmax) {
    wasmOrJs(
      [x, out],
      (wasm) => {
        const frame = callFrame(wasm);
        const values = frame.outputAt(out);
        const indices = frame.outputAt(argmax);
        const args = frame.args('maxPool2dForward', g, { x: frame.input(x), out: values, argmax: indices });
        runKernel(wasm, 'maxPool2dForward', args, splitForPlanes(wasm, 'maxPool2d', g.planes, g.inH * g.inW));
        frame.output(values, out);
        frame.output(indices, argmax);
      },
      () => jsPool2d.maxPool2dForward(x, g, out, argmax),
    );
  },

  maxPool2dBackward(dy, argmax, g, dx) {
    wasmOrJs(
      [dy, dx],
      (wasm) => {
        const frame = callFrame(wasm);
        const gradient = frame.outputAt(dx);
        const args = frame.args('maxPool2dBackward', g, { dy: frame.input(dy), argmax: frame.input(argmax), dx: gradient });
        runKernel(wasm, 'maxPool2dBackward', args, splitForPlanes(wasm, 'maxPool2d', g.planes, g.inH * g.inW));
        frame.output(gradient, dx);
      },
      () => jsPool2d.maxPool2dBackward(dy, argmax, g, dx),
    );
  },

  avgPool2dForward(x, g, out) {
    wasmOrJs(
      [x, out],
      (wasm) => {
        const frame = callFrame(wasm);
        const result = frame.outputAt(out);
        const args = frame.args('avgPool2dForward', averageBlock(frame, g), { x: frame.input(x), out: result });
        runKernel(wasm, 'avgPool2dForward', args, splitForPlanes(wasm, 'avgPool2d', g.planes, g.inH * g.inW));
        frame.output(result, out);
      },
      () => jsPool2d.avgPool2dForward(x, g, out),
    );
  },

  avgPool2dBackward(dy, g, dx) {
    wasmOrJs(
      [dy, dx],
      (wasm) => {
        const frame = callFrame(wasm);
        const result = frame.input(dx); // accumulated into
        const args = frame.args('avgPool2dBackward', averageBlock(frame, g), { dy: frame.input(dy), dx: result });
        runKernel(wasm, 'avgPool2dBackward', args, splitForPlanes(wasm, 'avgPool2d', g.planes, g.inH * g.inW));
        frame.output(result, dx);
      },
      () => jsPool2d.avgPool2dBackward(dy, g, dx),
    );
  },
};
