/**
 * The js and wasm conv2d kernels against the float64 reference, on the same random cases; wasm
 * with one thread and with two (its threads split the (image, group) pairs, so every case with
 * more than one pair runs on both), on each wasm module this engine runs (plain and relaxed SIMD).
 * The tolerances are the same for both: a fused multiply-add rounds once where mul then add rounds
 * twice, so its error bound over a dot product is no larger.
 */
import { expect } from 'chai';
import { F, Generator, Tensor, relu } from '../index';
import { jsConv2d } from '../kernels/conv2d/js';
import { referenceConv2d } from '../kernels/conv2d/reference';
import { wasmConv2d } from '../kernels/conv2d/wasm';
import { conv2dGeometry } from '../kernels/conv2d';
import type { Conv2dKernels, Conv2dOptions } from '../kernels/conv2d';
import { setNumThreads } from '../kernels/wasm/thread-count';
import { poisonWasmMemory, wasmParityHooks } from './helpers/wasm';
import { describeEachWasmModule } from './helpers/wasm-modules';
import { relativeError } from './helpers/close';
import { randomArray, randomConv2dPasses, runIntoNaN } from './helpers/conv2d-problem';

interface Case {
  x: number[];
  w: number[];
  options: Conv2dOptions;
}

// Odd sizes and channel counts that are not multiples of 4 or 8 (the SIMD widths), strides,
// paddings (asymmetric: 'same' with even kernels), dilations, groups (depthwise too), batch 1 and
// batch 0, pointwise kernels (the path that skips im2col), and shapes that cross the GEMMs' cache
// blocks in every pass: forward multiplies (outC/g × patch)·(patch × outH·outW), the input
// gradient (patch × outC/g)·(outC/g × outH·outW), the weight gradient (outC/g × outH·outW)·(… × patch);
// the wasm sgemm blocks 64 rows × 256 of k × 512 columns, the js one 128 × 256 × 2048.
const cases: Case[] = [
  { x: [2, 3, 7, 5], w: [4, 3, 3, 3], options: { padding: 1 } },
  { x: [1, 5, 9, 11], w: [7, 5, 3, 2], options: { stride: 2, padding: [1, 0] } },
  { x: [3, 4, 8, 9], w: [6, 2, 3, 3], options: { groups: 2, stride: [1, 2], padding: 2 } },
  { x: [2, 6, 10, 7], w: [6, 1, 3, 3], options: { groups: 6, padding: 1 } },
  { x: [1, 6, 9, 9], w: [12, 1, 5, 5], options: { groups: 6, stride: 2, padding: 2, dilation: 1 } },
  { x: [2, 3, 11, 10], w: [5, 3, 3, 3], options: { dilation: 2, padding: 'same' } },
  { x: [1, 2, 6, 8], w: [3, 2, 2, 4], options: { padding: 'same' } },
  { x: [3, 5, 7, 6], w: [9, 5, 4, 2], options: { padding: 'same', dilation: [1, 2] } },
  { x: [2, 8, 5, 7], w: [9, 8, 1, 1], options: {} },
  { x: [1, 6, 5, 7], w: [4, 3, 1, 1], options: { groups: 2 } },
  { x: [2, 4, 9, 6], w: [3, 4, 1, 1], options: { stride: 2, padding: 1 } },
  { x: [1, 3, 13, 13], w: [2, 3, 4, 3], options: { stride: [3, 2], dilation: [1, 3], padding: [0, 3] } },
  { x: [0, 3, 6, 5], w: [7, 3, 3, 3], options: { padding: 1 } },
  { x: [0, 4, 5, 5], w: [4, 1, 3, 3], options: { groups: 4 } },
  // patch 288 > 256 (k), outH·outW 2304 > 512 (columns)
  { x: [1, 32, 48, 48], w: [5, 32, 3, 3], options: { padding: 1 } },
  // 130 output channels > 64 rows (and > 128, the js block)
  { x: [2, 2, 6, 6], w: [130, 2, 3, 3], options: {} },
  // 70 rows, patch 585 > 512: the weight gradient's columns cross NC, the forward's k crosses KC twice
  { x: [3, 65, 9, 7], w: [70, 65, 3, 3], options: { padding: 1, stride: [1, 2] } },
  // grouped and big: per group 67 output channels, patch 3·5·5 = 75… ×2 groups, 23×21 = 483 columns
  { x: [2, 6, 23, 21], w: [134, 3, 5, 5], options: { groups: 2, padding: 2 } },
];

/** The kernels under test; the wasm ones with their thread count (their memory is poisoned before each call). */
const implementations: Array<{ name: string; kernels: Conv2dKernels; threads?: number }> = [
  { name: 'js', kernels: jsConv2d },
  { name: 'wasm, 1 thread', kernels: wasmConv2d, threads: 1 },
  { name: 'wasm, 2 threads', kernels: wasmConv2d, threads: 2 },
];

describeEachWasmModule('conv2d js and wasm kernels match the reference', () => {
  const sharedCalls = wasmParityHooks();

  cases.forEach(({ x: xShape, w: wShape, options }, index) => {
    for (const [Type, tolerance] of [
      [Float32Array, 1e-4],
      [Float64Array, 1e-10],
    ] as const) {
      it(`x ${JSON.stringify(xShape)}, w ${JSON.stringify(wShape)}, ${JSON.stringify(options)}, ${Type === Float32Array ? 'float32' : 'float64'}`, () => {
        for (const [what, size, pass] of randomConv2dPasses(Type, xShape, wShape, options, 100 + index)) {
          const like = new Type(0);
          const expected = runIntoNaN(like, size, pass(referenceConv2d));
          for (const { name, kernels, threads } of implementations) {
            if (threads !== undefined) {
              setNumThreads(threads);
              poisonWasmMemory();
            }
            const actual = runIntoNaN(like, size, pass(kernels));
            expect(actual, `${what} (${name}): result type`).to.be.instanceOf(Type);
            expect(relativeError(actual, expected), `${what} (${name})`).to.be.below(tolerance);
          }
        }
      });
    }
  });

  for (const { name, kernels, threads } of implementations) {
    for (const Type of [Float32Array, Float64Array]) {
      it(`gives the same result when called again (${name}, ${Type.name}: scratch buffers and wasm memory are reused, never stale)`, () => {
        if (threads !== undefined) setNumThreads(threads);
        const rng = new Generator(5);
        const big = conv2dGeometry([2, 4, 9, 9], [3, 4, 3, 3], null, { padding: 1 });
        const small = conv2dGeometry([1, 2, 5, 5], [3, 2, 3, 3], null, { padding: 1 });
        const x = randomArray(Type, 2 * 25, rng);
        const w = randomArray(Type, 3 * 2 * 9, rng);
        const first = runIntoNaN(x, 75, (out) => kernels.forward(x, w, null, small, out));
        kernels.forward(randomArray(Type, 2 * 4 * 81, rng), randomArray(Type, 3 * 4 * 9, rng), null, big, new Type(2 * 3 * 81));
        expect(Array.from(runIntoNaN(x, 75, (out) => kernels.forward(x, w, null, small, out)))).to.deep.equal(Array.from(first));
      });
    }
  }

  for (const { name, kernels, threads } of [{ name: 'reference', kernels: referenceConv2d }, ...implementations]) {
    it(`each epilogue is bitwise the relu and MaxPool2d(2) ops on the plain forward, a NaN kept, an odd last column dropped (${name})`, () => {
      if (threads !== undefined) setNumThreads(threads);
      const rng = new Generator(9);
      const geo = conv2dGeometry([3, 5, 7, 7], [6, 5, 3, 3], [6], { padding: 1, stride: [2, 1] }); // output 4×7
      const x = randomArray(Float32Array, 3 * 5 * 7 * 7, rng);
      x[40] = Number.NaN; // reaches a few outputs of image 0
      const w = randomArray(Float32Array, 6 * 5 * 9, rng);
      const b = randomArray(Float32Array, 6, rng);
      const shape = [3, 6, 4, 7];
      const plain = Tensor.fromData(
        runIntoNaN(x, 3 * 6 * 4 * 7, (out) => kernels.forward(x, w, b, geo, out)),
        shape,
      );
      expect(plain.data.some(Number.isNaN)).to.equal(true);
      for (const [epilogue, expected] of [
        [{ relu: true, maxPool2x2: false }, relu(plain)],
        [{ relu: true, maxPool2x2: true }, F.maxPool2d(relu(plain), 2)],
        [{ relu: false, maxPool2x2: true }, F.maxPool2d(plain, 2)],
      ] as const) {
        const fused = runIntoNaN(x, expected.numel, (out) => kernels.forward(x, w, b, geo, out, epilogue));
        expect(Array.from(fused), JSON.stringify(epilogue)).to.deep.equal(Array.from(expected.data));
      }
    });
  }

  it('ran the 2-thread cases on two threads (kernel calls were shared with a worker)', () => {
    expect(sharedCalls()).to.be.greaterThan(20);
  });
});
