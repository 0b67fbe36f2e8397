/**
 * conv2d on the wasm backend (float32): runs the SIMD kernels of kernels/wasm/assembly/conv2d.ts
 * across the threads on the operands in wasm memory (copied in and out unless they live there). float64 tensors take the
 * js kernels: the wasm kernels are float32 only (see docs/kernels.md).
 */
import { type Conv2dGeometry, forwardFlops, patchSize } from './geometry';
import { jsConv2d } from './js';
import { noEpilogue } from './epilogue';
import type { Conv2dKernels } from './kernels';
import type { ArgumentBlock, SharedBlock } from '../wasm/argument-blocks';
import { type CallFrame, callFrame } from '../wasm/call-frame';
import type { WasmInstance } from '../wasm/instance';
import { runKernel, splitFor } from '../wasm/thread-pool';
import { wasmOrJs } from '../wasm/wasm-or-js';

type ConvKernel = 'conv2dForward' | 'conv2dBackwardInput' | 'conv2dWeightPartials';
/** A pass's own operands: its block without the geometry and workspace every pass shares. */
type Operands<K extends ConvKernel> = Omit<ArgumentBlock<K>, keyof SharedBlock<'conv2d'>>;

/**
 * Per-thread workspace: the gemm panels plus one column matrix (K × P floats), and for a forward
 * with the fused max pool (kernels/conv2d/epilogue.ts) its slice before pooling (outC/groups × P floats).
 */
function workspaceBytes(wasm: WasmInstance, g: Conv2dGeometry, pooled: boolean): number {
  const unpooled = pooled ? (g.outC / g.groups) * g.outH * g.outW * 4 : 0;
  return wasm.exports.gemmWorkspaceBytes() + patchSize(g) * g.outH * g.outW * 4 + unpooled;
}

/** Runs conv2d kernel `name` on the geometry, its operand addresses and per-thread workspace. */
function runConv<K extends ConvKernel>(wasm: WasmInstance, frame: CallFrame, name: K, g: Conv2dGeometry, operands: Operands<K>): void {
  const split = splitFor(wasm, 'conv2d', g.n * g.groups, forwardFlops(g) / 2);
  const workspaceStride = workspaceBytes(wasm, g, 'maxPool2x2' in operands && operands.maxPool2x2 === 1);
  // The geometry's fields are named as the slots (frame.args reads only the declared ones).
  const own = { workspace: frame.reserve(workspaceStride * split.threads), workspaceStride, ...operands };
  runKernel(wasm, name, frame.args(name, g, own as Partial<ArgumentBlock<K>>), split);
}

export const wasmConv2d: Conv2dKernels = {
  forward(x, weight, bias, geo, out, epilogue = noEpilogue) {
    wasmOrJs(
      [x, weight, bias, out],
      (wasm) => {
        const frame = callFrame(wasm);
        const y = frame.outputAt(out);
        runConv(wasm, frame, 'conv2dForward', geo, {
          x: frame.input(x),
          weight: frame.input(weight),
          bias: bias ? frame.input(bias) : 0,
          relu: epilogue.relu ? 1 : 0,
          maxPool2x2: epilogue.maxPool2x2 ? 1 : 0,
          out: y,
        });
        frame.output(y, out);
      },
      () => jsConv2d.forward(x, weight, bias, geo, out, epilogue),
    );
  },

  backwardInput(gradOutput, weight, geo, gradInput) {
    wasmOrJs(
      [gradOutput, weight, gradInput],
      (wasm) => {
        const frame = callFrame(wasm);
        const dx = frame.outputAt(gradInput);
        runConv(wasm, frame, 'conv2dBackwardInput', geo, { dy: frame.input(gradOutput), weight: frame.input(weight), dx });
        frame.output(dx, gradInput);
      },
      () => jsConv2d.backwardInput(gradOutput, weight, geo, gradInput),
    );
  },

  backwardWeight(gradOutput, x, geo, gradWeight) {
    wasmOrJs(
      [gradOutput, x, gradWeight],
      (wasm) => {
        const frame = callFrame(wasm);
        // One weight-sized partial per image, summed in image order after (kernels/wasm/assembly/conv2d.ts):
        // the sum over the batch then does not depend on which thread computed which image.
        const partials = frame.reserve(geo.n * gradWeight.byteLength);
        runConv(wasm, frame, 'conv2dWeightPartials', geo, { dy: frame.input(gradOutput), x: frame.input(x), partials });
        const dW = frame.outputAt(gradWeight);
        const reduce = frame.args('reduceImages', { count: gradWeight.length, images: geo.n, partials, out: dW });
        runKernel(
          wasm,
          'reduceImages',
          reduce,
          splitFor(wasm, 'reduceImages', Math.ceil(gradWeight.length / 4), geo.n * gradWeight.length),
        );
        frame.output(dW, gradWeight);
      },
      () => jsConv2d.backwardWeight(gradOutput, x, geo, gradWeight),
    );
  },
};
