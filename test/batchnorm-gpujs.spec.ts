import { expect } from 'chai';
import { type BackendName, Generator, nn, randn, withBackend } from '../index';
import type { TypedArray } from '../index';
import { gpujsBatchNorm } from '../kernels/batchnorm/gpujs';
import { referenceBatchNorm } from '../kernels/batchnorm/reference';
import type { BatchNormKernels, ChannelLayout } from '../kernels/batchnorm';
import { configureGpuJs, gpuJsStatus } from '../kernels/gpujs/context';
import { expectAllClose } from './helpers/close';

// (N, C, S): 4-D inputs with odd H·W, (N, C) with S = 1, batch 1, a single channel.
const layouts: ChannelLayout[] = [
  { batch: 2, channels: 3, spatial: 35 },
  { batch: 1, channels: 5, spatial: 63 },
  { batch: 7, channels: 4, spatial: 1 },
  { batch: 3, channels: 1, spatial: 20 },
  { batch: 4, channels: 6, spatial: 9 },
  { batch: 1, channels: 2, spatial: 1 },
  { batch: 5, channels: 3, spatial: 13 },
  { batch: 2, channels: 8, spatial: 25 },
];

function random(Type: Float32ArrayConstructor | Float64ArrayConstructor, size: number, rng: Generator, offset = 0): TypedArray {
  const out = new Type(size);
  for (let i = 0; i < size; i++) out[i] = offset + rng.uniform(-1, 1);
  return out;
}

const vector = (size: number, rng: Generator, low: number, high: number): Float64Array =>
  Float64Array.from({ length: size }, () => rng.uniform(low, high));

function expectFloat32Close(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  const scale = Math.max(1, ...Array.from(expected, Math.abs));
  expectAllClose(actual, expected, { atol: 1e-4 * scale, rtol: 1e-4 }, what);
}

/** Runs the same pass on gpu.js and on the reference and compares every output. */
function compare(
  what: string,
  pass: (k: BatchNormKernels, outputs: Array<TypedArray | Float64Array>) => void,
  outputs: () => Array<TypedArray | Float64Array>,
): void {
  const actual = outputs();
  const expected = outputs();
  pass(gpujsBatchNorm, actual);
  pass(referenceBatchNorm, expected);
  actual.forEach((a, i) => {
    expect(a.constructor, `${what}[${i}]: type`).to.equal(expected[i].constructor);
    expectFloat32Close(a, expected[i], `${what}[${i}]`);
  });
}

describe('batchnorm gpu.js kernels match the reference', () => {
  before(() => configureGpuJs());
  afterEach(() => expect(gpuJsStatus(), 'gpu.js is still in use').to.include({ available: true }));

  layouts.forEach((layout, index) => {
    for (const Type of [Float64Array, Float32Array]) {
      it(`${JSON.stringify(layout)}, ${Type.name}`, () => {
        const rng = new Generator(1100 + index);
        const size = layout.batch * layout.channels * layout.spatial;
        const c = layout.channels;
        // An offset mean, so a one-pass variance would lose digits where the two-pass one does not.
        const x = random(Type, size, rng, 3);
        const dy = random(Type, size, rng);
        const mean = vector(c, rng, 2, 4);
        const like = (): TypedArray => new Type(size).fill(Number.NaN);
        const perChannel = (): Float64Array => new Float64Array(c).fill(Number.NaN);
        compare(
          'channelMoments',
          (k, [m, v]) => k.channelMoments(x, layout, m as Float64Array, v as Float64Array),
          () => [perChannel(), perChannel()],
        );
        const scale = vector(c, rng, 0.5, 2);
        const shift = vector(c, rng, -1, 1);
        compare(
          'normalize',
          (k, [y]) => k.normalize(x, layout, mean, scale, shift, y),
          () => [like()],
        );
        compare(
          'gradientSums',
          (k, [s, sc]) => k.gradientSums(dy, x, layout, mean, s as Float64Array, sc as Float64Array),
          () => [perChannel(), perChannel()],
        );
        const coefficients = { mean, gain: vector(c, rng, 0.5, 2), offset: vector(c, rng, -0.2, 0.2), slope: vector(c, rng, -0.5, 0.5) };
        compare(
          'inputGradient',
          (k, [dx]) => k.inputGradient(dy, x, layout, coefficients, dx),
          () => [like()],
        );
      });
    }
  });

  for (const training of [true, false]) {
    it(`5-D (N,C,D,H,W) through nn.BatchNorm3d on gpu.js, ${training ? 'training' : 'eval'}: output and gradients match the reference`, () => {
      const x = randn([2, 3, 2, 3, 4], { dtype: 'float32' }).mul(2).add(1);
      const upstream = randn(x.shape, { dtype: 'float32' });
      const run = (backend: BackendName) =>
        withBackend(backend, () => {
          const layer = new nn.BatchNorm3d(3, { dtype: 'float32' });
          layer.runningVar!.data.set([0.5, 1.5, 2]);
          layer.weight!.data.set([0.5, 1, 2]);
          if (!training) layer.eval();
          const input = x.detach().requiresGrad_();
          const y = layer.forward(input);
          y.backward(upstream);
          return [y, input.grad!, layer.weight!.grad!, layer.bias!.grad!, layer.runningMean!, layer.runningVar!].map((t) => t.data);
        });
      const [gpu, reference] = [run('gpu.js'), run('reference')];
      const names = ['output', 'dx', 'dweight', 'dbias', 'running_mean', 'running_var'];
      gpu.forEach((values, i) => {
        expectFloat32Close(values, reference[i], names[i]);
      });
    });
  }
});
