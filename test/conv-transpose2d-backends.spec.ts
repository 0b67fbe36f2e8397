/**
 * convTranspose2d on the js and wasm backends (wasm on 1 and 2 threads; gpu.js where it is
 * installed), float32, against the float64 reference: forward, input, weight and bias gradients,
 * on random shapes and options (seeded) and on fixed edge cases — batch 1 and batch 0, outputPadding
 * below the dilation alone (the geometry's bottom padding is then negative), 1×1 kernels (the js
 * kernels' im2col-free path must not take such a geometry), large channel counts.
 */
import { expect } from 'chai';
import { type BackendName, Generator, type Tensor, grad, tensor, withBackend } from '../index';
import { type ConvTranspose2dOptions, convTranspose2d } from '../lib/ops/conv-transpose2d';
import { configureGpuJs, gpuJsStatus } from '../kernels/gpujs/context';
import { setNumThreads } from '../kernels/wasm/thread-count';
import { relativeError } from './helpers/close';
import { installedGpuJs } from './helpers/gpujs';
import { poisonWasmMemory, wasmParityHooks } from './helpers/wasm';

interface Case {
  x: number[];
  w: number[];
  options: ConvTranspose2dOptions;
}

const fixed: Case[] = [
  { x: [1, 3, 5, 4], w: [3, 4, 3, 3], options: { stride: 2, padding: 1, outputPadding: 1 } },
  { x: [0, 4, 3, 3], w: [4, 2, 3, 3], options: { groups: 2, stride: 2 } },
  { x: [2, 3, 4, 5], w: [3, 2, 1, 1], options: { dilation: 2, outputPadding: 1 } },
  { x: [2, 5, 6, 7], w: [5, 3, 1, 1], options: {} },
  { x: [1, 6, 5, 5], w: [6, 1, 3, 3], options: { groups: 6, stride: 2, padding: 1, outputPadding: 1 } },
  { x: [2, 70, 4, 3], w: [70, 9, 3, 3], options: { stride: [1, 2], padding: 1 } },
];

/** Random shapes and options within PyTorch's rules (outputPadding < stride or dilation, output ≥ 1). */
function randomCases(count: number, seed: number): Case[] {
  const rng = new Generator(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rng.uniform(0, 1) * (hi - lo + 1));
  const cases: Case[] = [];
  while (cases.length < count) {
    const groups = int(1, 3);
    const [kH, kW, sH, sW, dH, dW] = [int(1, 4), int(1, 4), int(1, 3), int(1, 3), int(1, 2), int(1, 2)];
    const [pH, pW] = [int(0, 2), int(0, 2)];
    const [opH, opW] = [int(0, Math.max(sH, dH) - 1), int(0, Math.max(sW, dW) - 1)];
    const [n, h, w] = [int(1, 3), int(1, 7), int(1, 7)];
    if ((h - 1) * sH - 2 * pH + dH * (kH - 1) + opH + 1 < 1 || (w - 1) * sW - 2 * pW + dW * (kW - 1) + opW + 1 < 1) continue;
    const inC = groups * int(1, 3);
    cases.push({
      x: [n, inC, h, w],
      w: [inC, int(1, 3), kH, kW],
      options: { groups, stride: [sH, sW], padding: [pH, pW], dilation: [dH, dW], outputPadding: [opH, opW] },
    });
  }
  return cases;
}

/** Seeded values in [-1, 1) of a shape, as nested data for tensor(). */
function values(shape: number[], rng: Generator): number[] {
  return Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform(-1, 1));
}

/** Output and the three gradients (gradOutput fixed by the seed), flat, on a backend and dtype. */
function run(backend: BackendName, dtype: 'float32' | 'float64', { x, w, options }: Case, seed: number): Float64Array[] {
  const rng = new Generator(seed);
  const make = (shape: number[]): Tensor => tensor(values(shape, rng), { dtype }).reshape(shape).detach().requiresGrad_();
  const outC = w[1] * (options.groups ?? 1);
  const [xt, wt, bt] = [make(x), make(w), make([outC])];
  return withBackend(backend, () => {
    const y = convTranspose2d(xt, wt, bt, options);
    const gy = tensor(values(y.shape, rng), { dtype }).reshape(y.shape);
    return [y, ...grad(y, [xt, wt, bt], gy)].map((t) => Float64Array.from(t!.data));
  });
}

const cases = [...fixed, ...randomCases(14, 2112)];
const what = ['forward', 'input gradient', 'weight gradient', 'bias gradient'];

describe('convTranspose2d on the js, wasm and gpu.js backends matches the reference (float32)', () => {
  const sharedCalls = wasmParityHooks();

  const backends: Array<{ name: string; backend: BackendName; threads?: number }> = [
    { name: 'js', backend: 'js' },
    { name: 'wasm, 1 thread', backend: 'wasm', threads: 1 },
    { name: 'wasm, 2 threads', backend: 'wasm', threads: 2 },
  ];

  cases.forEach((c, index) => {
    it(`x ${JSON.stringify(c.x)}, w ${JSON.stringify(c.w)}, ${JSON.stringify(c.options)}`, () => {
      const expected = run('reference', 'float64', c, 500 + index);
      for (const { name, backend, threads } of backends) {
        if (threads !== undefined) {
          setNumThreads(threads);
          poisonWasmMemory();
        }
        const actual = run(backend, 'float32', c, 500 + index);
        for (const [i, a] of actual.entries()) expect(relativeError(a, expected[i]), `${what[i]} (${name})`).to.be.below(1e-4);
      }
    });
  });

  it('ran the 2-thread cases on two threads (kernel calls were shared with a worker)', () => {
    expect(sharedCalls()).to.be.greaterThan(10);
  });

  it('gpu.js (where installed) on the first cases', function () {
    installedGpuJs(this); // skips where gpu.js is not installed (fails on CI), as conv2d-gpujs.spec.ts
    configureGpuJs();
    for (const [index, c] of fixed.slice(0, 3).entries()) {
      const expected = run('reference', 'float64', c, 500 + index);
      const actual = run('gpu.js', 'float32', c, 500 + index);
      expect(gpuJsStatus(), 'gpu.js is still in use').to.include({ available: true });
      for (const [i, a] of actual.entries()) expect(relativeError(a, expected[i]), `${what[i]} (gpu.js)`).to.be.below(1e-4);
    }
  });
});
