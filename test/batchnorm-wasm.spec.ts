import { Generator, type TypedArray } from '../index';
import type { BatchNormKernels, ChannelLayout } from '../kernels/batchnorm';
import { composedTraining } from '../kernels/batchnorm/training';
import { wasmBatchNorm } from '../kernels/batchnorm/wasm';
import { batchNormLayouts, channelVector, expectBatchNormMatches, randomData } from './helpers/batchnorm-cases';
import { expectSameBits, withThreads } from './helpers/wasm-threads';

// Beyond the shared layouts: runs long enough for the four-lane loops with and without a tail
// (S = 784, 196, 29), 3-D inputs (S = D·H·W), many channels with S = 1, and batch 0.
const layouts: ChannelLayout[] = [
  ...batchNormLayouts,
  { batch: 3, channels: 5, spatial: 784 },
  { batch: 2, channels: 7, spatial: 196 },
  { batch: 3, channels: 4, spatial: 29 },
  { batch: 2, channels: 3, spatial: 2 * 3 * 4 },
  { batch: 64, channels: 33, spatial: 1 },
  { batch: 0, channels: 3, spatial: 5 },
];

describe('batchnorm wasm kernels match the reference', () => {
  layouts.forEach((layout, index) => {
    it(`${JSON.stringify(layout)}, Float32Array`, () => {
      expectBatchNormMatches(wasmBatchNorm, layout, Float32Array, new Generator(2100 + index));
    });
  });

  it('float64 takes the js kernels (the wasm kernels are float32 only) and matches the reference', () => {
    expectBatchNormMatches(wasmBatchNorm, batchNormLayouts[0], Float64Array, new Generator(2190));
  });

  it('gives bitwise the same results on 1 and 2 threads', () => {
    const rng = new Generator(2200);
    const layout: ChannelLayout = { batch: 6, channels: 5, spatial: 1501 };
    const size = layout.batch * layout.channels * layout.spatial;
    const [x, dy] = [randomData(Float32Array, size, rng, 3), randomData(Float32Array, size, rng)];
    const [gain, offset, slope] = [channelVector(5, rng, 0.5, 2), channelVector(5, rng, -0.2, 0.2), channelVector(5, rng, -0.5, 0.5)];
    const run = (): ArrayBufferView[] => {
      const [mean, variance, sumDy, sumDyCentered, sums] = [0, 1, 2, 3, 4].map(() => new Float64Array(layout.channels));
      const [y, dx] = [new Float32Array(size), new Float32Array(size)];
      wasmBatchNorm.channelSums(dy, layout, sums);
      wasmBatchNorm.channelMoments(x, layout, mean, variance);
      wasmBatchNorm.normalize(x, layout, mean, gain, offset, y);
      wasmBatchNorm.gradientSums(dy, x, layout, mean, sumDy, sumDyCentered);
      wasmBatchNorm.inputGradient(dy, x, layout, { mean, gain, offset, slope }, dx);
      return [sums, mean, variance, y, sumDy, sumDyCentered, dx, ...training(layout, x, dy, new Generator(2201))];
    };
    expectSameBits(withThreads(2, run), withThreads(1, run));
  });

  // The fused calls do a channel's whole work in one kernel; they must compute what the four wasm
  // passes and the per-channel algebra of kernels/batchnorm/training.ts compute, bit for bit.
  [...layouts.filter((layout) => layout.batch > 0), { batch: 2, channels: 3, spatial: 4, constant: true }].forEach((layout, index) => {
    it(`training's fused forward and backward equal the four passes bit for bit: ${JSON.stringify(layout)}`, () => {
      const rng = new Generator(2300 + index);
      const size = layout.batch * layout.channels * layout.spatial;
      // A constant input with eps 0 makes σ⁻¹ 0, the case inverseStd guards.
      const x = 'constant' in layout ? new Float32Array(size).fill(2) : randomData(Float32Array, size, rng, 3);
      const dy = randomData(Float32Array, size, rng);
      const eps = 'constant' in layout ? 0 : 1e-5;
      const passes = composedTraining(wasmBatchNorm);
      expectSameBits(training(layout, x, dy, new Generator(index), eps), training(layout, x, dy, new Generator(index), eps, passes));
    });
  });
});

/** trainingForward then trainingBackward (on the forward's statistics) of `kernels`: every output. */
function training(
  layout: ChannelLayout,
  x: TypedArray,
  dy: TypedArray,
  rng: Generator,
  eps = 1e-5,
  kernels: Pick<BatchNormKernels, 'trainingForward' | 'trainingBackward'> = wasmBatchNorm,
): ArrayBufferView[] {
  const size = layout.batch * layout.channels * layout.spatial;
  const [gamma, beta] = [channelVector(layout.channels, rng, 0.5, 2), channelVector(layout.channels, rng, -1, 1)];
  const [mean, variance, invStd, sumDy, sumDyCentered] = [0, 1, 2, 3, 4].map(() => new Float64Array(layout.channels));
  const [y, dx] = [new Float32Array(size), new Float32Array(size)];
  kernels.trainingForward(x, layout, eps, gamma, beta, { mean, variance, invStd }, y);
  kernels.trainingBackward(dy, x, layout, { mean, invStd }, gamma, { sumDy, sumDyCentered }, dx);
  return [mean, variance, invStd, y, sumDy, sumDyCentered, dx];
}
