/** Layouts and the four-pass comparison shared by the specs that check a batch-norm kernel table against the reference. */
import { expect } from 'chai';
import type { Generator, TypedArray } from '../../index';
import type { BatchNormKernels, ChannelLayout } from '../../kernels/batchnorm';
import { referenceBatchNorm } from '../../kernels/batchnorm/reference';
import { expectAllClose } from './close';

// (N, C, S): 4-D inputs with odd H·W, (N, C) with S = 1, batch 1, a single channel.
export const batchNormLayouts: ChannelLayout[] = [
  { batch: 2, channels: 3, spatial: 35 },
  { batch: 1, channels: 5, spatial: 63 },
  { batch: 7, channels: 4, spatial: 1 },
  { batch: 3, channels: 1, spatial: 20 },
  { batch: 4, channels: 6, spatial: 9 },
  { batch: 1, channels: 2, spatial: 1 },
  { batch: 5, channels: 3, spatial: 13 },
  { batch: 2, channels: 8, spatial: 25 },
];

export function randomData(Type: Float32ArrayConstructor | Float64ArrayConstructor, size: number, rng: Generator, offset = 0): TypedArray {
  const out = new Type(size);
  for (let i = 0; i < size; i++) out[i] = offset + rng.uniform(-1, 1);
  return out;
}

export const channelVector = (size: number, rng: Generator, low: number, high: number): Float64Array =>
  Float64Array.from({ length: size }, () => rng.uniform(low, high));

export function expectFloat32Close(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  const scale = Math.max(1, ...Array.from(expected, Math.abs));
  expectAllClose(actual, expected, { atol: 1e-4 * scale, rtol: 1e-4 }, what);
}

/** Runs the same pass with `kernels` and with the reference and compares every output. */
function compare(
  kernels: BatchNormKernels,
  what: string,
  pass: (k: BatchNormKernels, outputs: Array<TypedArray | Float64Array>) => void,
  outputs: () => Array<TypedArray | Float64Array>,
): void {
  const actual = outputs();
  const expected = outputs();
  pass(kernels, actual);
  pass(referenceBatchNorm, expected);
  actual.forEach((a, i) => {
    expect(a.constructor, `${what}[${i}]: type`).to.equal(expected[i].constructor);
    expectFloat32Close(a, expected[i], `${what}[${i}]`);
  });
}

/** The four passes, the plain channel sums and the two training calls of `kernels` on random data in `layout` (dtype `Type`) against the reference, within float32. */
export function expectBatchNormMatches(
  kernels: BatchNormKernels,
  layout: ChannelLayout,
  Type: Float32ArrayConstructor | Float64ArrayConstructor,
  rng: Generator,
): void {
  const size = layout.batch * layout.channels * layout.spatial;
  const c = layout.channels;
  // An offset mean, so a one-pass variance would lose digits where the two-pass one does not.
  const x = randomData(Type, size, rng, 3);
  const dy = randomData(Type, size, rng);
  const mean = channelVector(c, rng, 2, 4);
  const like = (): TypedArray => new Type(size).fill(Number.NaN);
  const perChannel = (): Float64Array => new Float64Array(c).fill(Number.NaN);
  compare(
    kernels,
    'channelMoments',
    (k, [m, v]) => k.channelMoments(x, layout, m as Float64Array, v as Float64Array),
    () => [perChannel(), perChannel()],
  );
  // The plain sums against the formula itself (the reference kernels use the js loop for them).
  const sums = perChannel();
  kernels.channelSums(dy, layout, sums);
  const formula = Array.from({ length: c }, (_, channel) => {
    let sum = 0;
    for (let n = 0; n < layout.batch; n++) for (let s = 0; s < layout.spatial; s++) sum += dy[(n * c + channel) * layout.spatial + s];
    return sum;
  });
  expectFloat32Close(sums, formula, 'channelSums');
  const scale = channelVector(c, rng, 0.5, 2);
  const shift = channelVector(c, rng, -1, 1);
  compare(
    kernels,
    'normalize',
    (k, [y]) => k.normalize(x, layout, mean, scale, shift, y),
    () => [like()],
  );
  compare(
    kernels,
    'gradientSums',
    (k, [s, sc]) => k.gradientSums(dy, x, layout, mean, s as Float64Array, sc as Float64Array),
    () => [perChannel(), perChannel()],
  );
  const coefficients = {
    mean,
    gain: channelVector(c, rng, 0.5, 2),
    offset: channelVector(c, rng, -0.2, 0.2),
    slope: channelVector(c, rng, -0.5, 0.5),
  };
  compare(
    kernels,
    'inputGradient',
    (k, [dx]) => k.inputGradient(dy, x, layout, coefficients, dx),
    () => [like()],
  );
  const gamma = channelVector(c, rng, 0.5, 2);
  compare(
    kernels,
    'trainingForward',
    (k, [m, v, invStd, y]) =>
      k.trainingForward(
        x,
        layout,
        1e-5,
        gamma,
        shift,
        { mean: m as Float64Array, variance: v as Float64Array, invStd: invStd as Float64Array },
        y,
      ),
    () => [perChannel(), perChannel(), perChannel(), like()],
  );
  const invStd = channelVector(c, rng, 0.5, 2);
  compare(
    kernels,
    'trainingBackward',
    (k, [s, sc, dx]) =>
      k.trainingBackward(dy, x, layout, { mean, invStd }, gamma, { sumDy: s as Float64Array, sumDyCentered: sc as Float64Array }, dx),
    () => [perChannel(), perChannel(), like()],
  );
}
