/**
 * A random conv2d problem and its kernel passes (forward with and without bias and each epilogue, both backwards), for the specs that check a conv2d backend's
 * kernels against the reference (test/conv2d-kernels.spec.ts, test/conv2d-gpujs.spec.ts).
 */
import { Generator } from '../../index';
import type { TypedArray } from '../../index';
import { type Conv2dGeometry, type Conv2dKernels, type Conv2dOptions, conv2dGeometry, outputShape } from '../../kernels/conv2d';
import { sizeOf } from '../../base/shape';

export type FloatArrayType = Float32ArrayConstructor | Float64ArrayConstructor;

export function randomArray(Type: FloatArrayType, size: number, rng: Generator): TypedArray {
  const out = new Type(size);
  for (let i = 0; i < size; i++) out[i] = rng.uniform(-1, 1);
  return out;
}

/** Runs a kernel into a NaN-filled destination of `like`'s type, so an entry it forgets to write shows up. */
export function runIntoNaN(like: TypedArray, size: number, kernel: (out: TypedArray) => void): TypedArray {
  const out = like instanceof Float64Array ? new Float64Array(size) : new Float32Array(size);
  out.fill(Number.NaN);
  kernel(out);
  return out;
}

export type Conv2dPass = [what: string, outputSize: number, run: (kernels: Conv2dKernels) => (out: TypedArray) => void];

/** Uniform random input, weight, bias and output gradient of `Type` for the given shapes, and each pass on them. */
export function randomConv2dPasses(
  Type: FloatArrayType,
  xShape: number[],
  wShape: number[],
  options: Conv2dOptions,
  seed: number,
): Conv2dPass[] {
  const rng = new Generator(seed);
  const geo: Conv2dGeometry = conv2dGeometry(xShape, wShape, [wShape[0]], options);
  const x = randomArray(Type, sizeOf(xShape), rng);
  const w = randomArray(Type, sizeOf(wShape), rng);
  const b = randomArray(Type, wShape[0], rng);
  const gy = randomArray(Type, sizeOf(outputShape(geo)), rng);
  const pooled = geo.n * geo.outC * Math.floor(geo.outH / 2) * Math.floor(geo.outW / 2);
  return [
    ['forward', gy.length, (k) => (out) => k.forward(x, w, b, geo, out)],
    ['forward without bias', gy.length, (k) => (out) => k.forward(x, w, null, geo, out)],
    ['forward, relu epilogue', gy.length, (k) => (out) => k.forward(x, w, b, geo, out, { relu: true, maxPool2x2: false })],
    ['forward without bias, relu epilogue', gy.length, (k) => (out) => k.forward(x, w, null, geo, out, { relu: true, maxPool2x2: false })],
    ['forward, relu and max pool epilogue', pooled, (k) => (out) => k.forward(x, w, b, geo, out, { relu: true, maxPool2x2: true })],
    ['forward without bias, max pool epilogue', pooled, (k) => (out) => k.forward(x, w, null, geo, out, { relu: false, maxPool2x2: true })],
    ['backwardInput', x.length, (k) => (out) => k.backwardInput(gy, w, geo, out)],
    ['backwardWeight', w.length, (k) => (out) => k.backwardWeight(gy, x, geo, out)],
  ];
}
