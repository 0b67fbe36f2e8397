import { expect } from 'chai';
import { type BackendName, type DType, type Tensor, gradcheck, manualSeed, randn, tensor, withBackend } from '../index';
import { type AvgPool2dOptions, type MaxPool2dOptions, adaptiveAvgPool2d, avgPool2d, maxPool2d } from '../lib/ops/pool2d';
import { pool2dKernels } from '../kernels/pool2d';
import { jsPool2d } from '../kernels/pool2d/js';
import { referencePool2d } from '../kernels/pool2d/reference';
import { Generator } from '../lib/random/generator';
import { expectAllClose } from './helpers/close';
import { gpujsPool2d } from '../kernels/pool2d/gpujs';
import { wasmPool2d } from '../kernels/pool2d/wasm';

const backends: readonly BackendName[] = ['reference', 'js', 'wasm'];

/** 0, 1, …, n−1 laid out row-major in `shape`. */
const iota = (shape: number[]): Tensor =>
  tensor(
    Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i),
    { shape },
  );

/** Distinct values (a shuffled 0.1-spaced ramp): max pooling has no ties, so it is differentiable. */
function distinct(shape: number[], generator: Generator): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Float64Array.from({ length: n }, (_, i) => (i - n / 2) * 0.1);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(generator.random() * (i + 1));
    [values[i], values[j]] = [values[j], values[i]];
  }
  return tensor(values, { shape, requiresGrad: true });
}

describe('pool2d ops', () => {
  beforeEach(() => manualSeed(11));

  it('selects a kernel table per backend (reference and js are different code)', () => {
    expect(withBackend('reference', pool2dKernels)).to.equal(referencePool2d);
    expect(withBackend('js', pool2dKernels)).to.equal(jsPool2d);
    expect(withBackend('gpu.js', pool2dKernels)).to.equal(gpujsPool2d);
    expect(withBackend('wasm', pool2dKernels)).to.equal(wasmPool2d);
  });

  for (const backend of backends) {
    describe(`forward values (${backend})`, () => {
      const run = <T>(fn: () => T): T => withBackend(backend, fn);

      it('maxPool2d: floor and ceil mode, dilation', () => {
        run(() => {
          expect(maxPool2d(iota([1, 1, 4, 4]), 2).toArray()).to.deep.equal([
            [
              [
                [5, 7],
                [13, 15],
              ],
            ],
          ]);
          expect(maxPool2d(iota([1, 1, 5, 5]), 2).toArray()).to.deep.equal([
            [
              [
                [6, 8],
                [16, 18],
              ],
            ],
          ]);
          expect(maxPool2d(iota([1, 1, 5, 5]), 2, { ceilMode: true }).toArray()).to.deep.equal([
            [
              [
                [6, 8, 9],
                [16, 18, 19],
                [21, 23, 24],
              ],
            ],
          ]);
          expect(maxPool2d(iota([1, 1, 4, 4]), 2, { stride: 1, dilation: 2 }).toArray()).to.deep.equal([
            [
              [
                [10, 11],
                [14, 15],
              ],
            ],
          ]);
        });
      });

      it('maxPool2d pads with −∞, not 0', () => {
        run(() => {
          const x = tensor([
            [
              [
                [-1, -2],
                [-3, -4],
              ],
            ],
          ]);
          expect(maxPool2d(x, 2, { stride: 1, padding: 1 }).toArray()).to.deep.equal([
            [
              [
                [-1, -1, -2],
                [-1, -1, -2],
                [-3, -3, -4],
              ],
            ],
          ]);
        });
      });

      it('maxPool2d sends the gradient of tied maxima to the first one, and sums overlapping windows', () => {
        run(() => {
          const x = tensor(
            [
              [
                [
                  [1, 3, 0],
                  [3, 3, 2],
                ],
              ],
            ],
            { requiresGrad: true },
          );
          const y = maxPool2d(x, 2, { stride: 1 });
          expect(y.toArray()).to.deep.equal([[[[3, 3]]]]);
          y.backward(tensor([[[[10, 100]]]]));
          // Window 1 ties at (0,1), (1,0), (1,1): first is (0,1). Window 2 ties at (0,1), (1,1).
          expect(x.grad!.toArray()).to.deep.equal([
            [
              [
                [0, 110, 0],
                [0, 0, 0],
              ],
            ],
          ]);
        });
      });

      it('maxPool2d propagates NaN', () => {
        run(() => {
          expect(
            maxPool2d(
              tensor([
                [
                  [
                    [1, NaN],
                    [5, 2],
                  ],
                ],
              ]),
              2,
            ).item(),
          ).to.be.NaN;
        });
      });

      it('maxPool2d: a window with no tap inside the input gives −∞ and no gradient', () => {
        run(() => {
          const x = tensor(
            [
              [
                [
                  [1, 2],
                  [3, 4],
                ],
              ],
            ],
            { requiresGrad: true },
          );
          const y = maxPool2d(x, 2, { stride: 2, padding: 1, dilation: 3 });
          expect(y.toArray()).to.deep.equal([[[[-Infinity]]]]);
          y.backward(tensor([[[[1]]]]));
          expect(x.grad!.toArray()).to.deep.equal([
            [
              [
                [0, 0],
                [0, 0],
              ],
            ],
          ]);
        });
      });

      it('avgPool2d: countIncludePad, ceil-mode windows past the padded edge, divisorOverride', () => {
        run(() => {
          const x = iota([1, 1, 5, 5]);
          const third = 1 / 3;
          expectAllClose(
            avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }).data,
            [4 * third, 3, 8 * third, 7, 12, 9, 8, 13, 28 * third],
            { rtol: 1e-15, atol: 0 },
            'countIncludePad',
          );
          expect(avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }).toArray()).to.deep.equal([
            [
              [
                [3, 4.5, 6],
                [10.5, 12, 13.5],
                [18, 19.5, 21],
              ],
            ],
          ]);
          // The ceil-mode window starting at column 4 runs past the (unpadded) edge: divisor 2·1, not 2·2.
          expect(avgPool2d(x, 2, { ceilMode: true }).toArray()).to.deep.equal([
            [
              [
                [3, 5, 6.5],
                [13, 15, 16.5],
                [20.5, 22.5, 24],
              ],
            ],
          ]);
          expect(avgPool2d(x, 3, { stride: 2, padding: 1, divisorOverride: 2 }).toArray()).to.deep.equal([
            [
              [
                [6, 13.5, 12],
                [31.5, 54, 40.5],
                [36, 58.5, 42],
              ],
            ],
          ]);
        });
      });

      it('avgPool2d on a 3-D (C,H,W) input with rectangular kernel, stride and padding', () => {
        run(() => {
          const y = avgPool2d(iota([1, 4, 4]), [2, 3], { stride: [1, 2], padding: [1, 1] });
          expect(y.shape).to.deep.equal([1, 5, 2]);
          expectAllClose(y.data, [1 / 6, 1, 5 / 3, 4, 13 / 3, 8, 7, 12, 25 / 6, 7], { rtol: 1e-15, atol: 0 }, 'avgPool2d CHW');
        });
      });

      it('adaptiveAvgPool2d: PyTorch bins, and global average pooling', () => {
        run(() => {
          expect(adaptiveAvgPool2d(iota([1, 1, 5, 5]), [3, 2]).toArray()).to.deep.equal([
            [
              [
                [3.5, 5.5],
                [11, 13],
                [18.5, 20.5],
              ],
            ],
          ]);
          const x = randn([2, 3, 4, 5]);
          const global = adaptiveAvgPool2d(x, 1);
          expect(global.shape).to.deep.equal([2, 3, 1, 1]);
          const values = Array.from(x.data);
          const means = Array.from({ length: 6 }, (_, p) => values.slice(p * 20, p * 20 + 20).reduce((a, b) => a + b, 0) / 20);
          expectAllClose(global.data, means, { rtol: 1e-14, atol: 1e-15 }, 'global average');
          // An output larger than the input repeats input cells, as PyTorch does.
          expect(
            adaptiveAvgPool2d(
              tensor([
                [
                  [
                    [1, 2],
                    [3, 4],
                  ],
                ],
              ]),
              [3, 3],
            ).toArray(),
          ).to.deep.equal([
            [
              [
                [1, 1.5, 2],
                [2, 2.5, 3],
                [3, 3.5, 4],
              ],
            ],
          ]);
        });
      });
    });
  }

  describe('gradcheck (float64, reference backend)', () => {
    const maxCases: Array<[number[], number | [number, number], MaxPool2dOptions]> = [
      [[2, 2, 5, 5], 2, {}],
      [[1, 1, 6, 5], 3, { stride: 2, padding: 1 }],
      [[1, 2, 5, 4], [2, 3], { stride: [1, 2], padding: [1, 1], ceilMode: true }],
      [[1, 1, 7, 7], 3, { stride: 2, dilation: 2, padding: 1 }],
      [[3, 4, 4], 2, { stride: 1 }],
    ];
    for (const [shape, k, options] of maxCases) {
      it(`maxPool2d ${JSON.stringify(shape)} k=${JSON.stringify(k)} ${JSON.stringify(options)}`, () => {
        const x = distinct(shape, new Generator(shape.length * 100 + shape[shape.length - 1]));
        withBackend('reference', () => gradcheck((t) => maxPool2d(t, k, options), [x]));
      });
    }

    const avgCases: Array<[number[], number | [number, number], AvgPool2dOptions]> = [
      [[2, 2, 4, 4], 2, {}],
      [[1, 1, 5, 5], 3, { stride: 2, padding: 1, ceilMode: true }],
      [[1, 1, 5, 5], 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }],
      [[1, 2, 5, 6], [3, 2], { stride: [2, 1], padding: [1, 0], divisorOverride: 5 }],
      [[2, 5, 3], 2, { stride: 2, ceilMode: true }],
    ];
    for (const [shape, k, options] of avgCases) {
      it(`avgPool2d ${JSON.stringify(shape)} k=${JSON.stringify(k)} ${JSON.stringify(options)}`, () => {
        withBackend('reference', () => gradcheck((t) => avgPool2d(t, k, options), [randn(shape, { requiresGrad: true })]));
      });
    }

    const adaptiveCases: Array<[number[], number | [number, number]]> = [
      [
        [1, 2, 5, 7],
        [3, 4],
      ],
      [[2, 1, 4, 4], 1],
      [
        [1, 1, 3, 2],
        [4, 5],
      ],
    ];
    for (const [shape, size] of adaptiveCases) {
      it(`adaptiveAvgPool2d ${JSON.stringify(shape)} → ${JSON.stringify(size)}`, () => {
        withBackend('reference', () => gradcheck((t) => adaptiveAvgPool2d(t, size), [randn(shape, { requiresGrad: true })]));
      });
    }
  });

  describe('js and wasm agree with the reference', () => {
    type Case = [string, number[], (x: Tensor) => Tensor];
    const cases: Case[] = [
      ['max 2x2', [8, 3, 16, 16], (x) => maxPool2d(x, 2)],
      ['max 3x3 s2 p1', [2, 5, 13, 11], (x) => maxPool2d(x, 3, { stride: 2, padding: 1 })],
      ['max 3x2 ceil', [1, 4, 10, 9], (x) => maxPool2d(x, [3, 2], { stride: [2, 2], ceilMode: true })],
      ['max dilated', [3, 2, 12, 12], (x) => maxPool2d(x, 3, { dilation: 2, stride: 1, padding: 1 })],
      ['max CHW', [6, 7, 7], (x) => maxPool2d(x, 3, { stride: 2 })],
      ['avg 2x2', [8, 3, 16, 16], (x) => avgPool2d(x, 2)],
      ['avg 3x3 s2 p1 ceil', [2, 3, 15, 14], (x) => avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true })],
      ['avg exclude pad', [1, 5, 9, 11], (x) => avgPool2d(x, [3, 5], { stride: [1, 3], padding: [1, 2], countIncludePad: false })],
      ['avg override', [2, 2, 8, 8], (x) => avgPool2d(x, 4, { stride: 3, padding: 2, divisorOverride: 7 })],
      ['adaptive 7x7→3x5', [2, 4, 7, 7], (x) => adaptiveAvgPool2d(x, [3, 5])],
      ['adaptive global', [4, 8, 9, 10], (x) => adaptiveAvgPool2d(x, 1)],
    ];
    const tolerances: Record<DType, { rtol: number; atol: number }> = {
      float64: { rtol: 1e-12, atol: 1e-12 },
      float32: { rtol: 1e-5, atol: 1e-6 },
    };
    for (const fastBackend of ['js', 'wasm'] as const) {
      for (const dtype of ['float64', 'float32'] as const) {
        for (const [name, shape, op] of cases) {
          it(`${name} ${JSON.stringify(shape)} ${dtype} (${fastBackend}): forward and backward`, () => {
            const x = randn(shape, { dtype });
            const run = (backend: BackendName) =>
              withBackend(backend, () => {
                const leaf = x.detach().requiresGrad_();
                const y = op(leaf);
                manualSeed(5);
                y.backward(randn(y.shape, { dtype }));
                return { y, dx: leaf.grad! };
              });
            const fast = run(fastBackend);
            const reference = run('reference');
            expect(fast.y.dtype).to.equal(dtype);
            expect(fast.dx.dtype).to.equal(dtype);
            expectAllClose(fast.y.data, reference.y.data, tolerances[dtype], 'output');
            expectAllClose(fast.dx.data, reference.dx.data, tolerances[dtype], 'input gradient');
          });
        }
      }
    }
  });

  describe('empty batch (PyTorch returns an empty output of the pooled shape)', () => {
    const cases: Array<[string, (x: Tensor) => Tensor, number[]]> = [
      ['maxPool2d', (x) => maxPool2d(x, 3, { stride: 2 }), [0, 16, 9, 15]],
      ['avgPool2d', (x) => avgPool2d(x, 3, { stride: 2 }), [0, 16, 9, 15]],
      ['adaptiveAvgPool2d', (x) => adaptiveAvgPool2d(x, [9, 15]), [0, 16, 9, 15]],
    ];
    for (const backend of ['reference', 'js', 'wasm', 'gpu.js'] as const) {
      for (const [name, pool, expected] of cases) {
        it(`${name} on [0,16,20,32] (${backend}): forward [0,16,9,15], backward an empty gradient`, () => {
          withBackend(backend, () => {
            const x = randn([0, 16, 20, 32], { requiresGrad: true });
            const y = pool(x);
            expect(y.shape).to.deep.equal(expected);
            y.sum().backward();
            expect(x.grad!.shape).to.deep.equal([0, 16, 20, 32]);
          });
        });
      }
    }
    it('adaptiveAvgPool2d also takes zero channels, as PyTorch', () => {
      expect(adaptiveAvgPool2d(randn([2, 0, 4, 4]), 2).shape).to.deep.equal([2, 0, 2, 2]);
      expect(adaptiveAvgPool2d(randn([0, 4, 4]), 2).shape).to.deep.equal([0, 2, 2]);
    });
  });

  describe('errors', () => {
    it('rejects inputs that are not 3-D or 4-D', () => {
      expect(() => maxPool2d(randn([4, 4]), 2)).to.throw('maxPool2d: expected a 3-D (C,H,W) or 4-D (N,C,H,W) input, got shape [4,4]');
      expect(() => adaptiveAvgPool2d(randn([1, 1, 1, 4, 4]), 2)).to.throw('adaptiveAvgPool2d: expected a 3-D');
    });

    it('rejects empty non-batch dims as PyTorch does (only the batch dim of a 4-D input may be 0)', () => {
      expect(() => avgPool2d(randn([1, 0, 4, 4]), 2)).to.throw(
        'avgPool2d: input of shape [1,0,4,4] has an empty non-batch dim (only N of (N,C,H,W) may be 0)',
      );
      expect(() => maxPool2d(randn([0, 4, 4]), 2)).to.throw('maxPool2d: input of shape [0,4,4] has an empty non-batch dim');
      expect(() => adaptiveAvgPool2d(randn([1, 1, 4, 0]), 2)).to.throw(
        'adaptiveAvgPool2d: input of shape [1,1,4,0] has an empty spatial dim (H and W must be ≥ 1)',
      );
    });

    it('names an output too large to allocate instead of failing in the engine', () => {
      expect(() => adaptiveAvgPool2d(randn([2, 3, 8, 8]), 1e5)).to.throw(
        RangeError,
        'adaptiveAvgPool2d: output shape [2,3,100000,100000] has 60000000000 elements, more than the 4294967296 one typed array can hold',
      );
    });

    it('rejects padding over half the kernel, outputs that would be empty, and bad sizes', () => {
      expect(() => maxPool2d(randn([1, 1, 4, 4]), 3, { padding: 2 })).to.throw(
        'maxPool2d: padding should be at most half of kernel size, but got padding=[2,2] and kernelSize=[3,3]',
      );
      expect(() => avgPool2d(randn([1, 1, 4, 4]), 5)).to.throw('avgPool2d: input size 4×4 gives output size 0×0, which is too small');
      expect(() => maxPool2d(randn([1, 1, 4, 4]), 1.5)).to.throw('maxPool2d: kernelSize must be an integer ≥ 1 or a pair of them, got 1.5');
      expect(() => maxPool2d(randn([1, 1, 4, 4]), NaN)).to.throw('maxPool2d: kernelSize must be an integer ≥ 1 or a pair of them, got NaN');
      expect(() => avgPool2d(randn([1, 1, 4, 4]), 2, { padding: [0, NaN] })).to.throw(
        'avgPool2d: padding must be an integer ≥ 0 or a pair of them, got [0,NaN]',
      );
      expect(() => maxPool2d(randn([1, 1, 4, 4]), 2, { stride: 0 })).to.throw('maxPool2d: stride must be an integer ≥ 1');
      expect(() => avgPool2d(randn([1, 1, 4, 4]), 2, { divisorOverride: 0 })).to.throw(
        'avgPool2d: divisorOverride must be a finite non-zero number, got 0',
      );
      expect(() => adaptiveAvgPool2d(randn([1, 1, 4, 4]), [2, 0])).to.throw(
        'adaptiveAvgPool2d: outputSize must be an integer ≥ 1 or a pair of them, got [2,0]',
      );
    });
  });
});
