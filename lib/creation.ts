/** Functions that make new leaf tensors: from JS data, constants, ranges and random draws. */
import { type DType, type TypedArray, allocate, dtypeOf, isDType } from '../base/dtype';
import { type Shape, checkShape, formatShape, formatValue, sizeOf } from '../base/shape';
import { checkOptions, optionKeys } from './validate';
import { type NestedArray, Tensor } from './tensor';
import { type Generator, generatorOf } from './random/generator';

export interface TensorOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}
const tensorOptionKeys = optionKeys<TensorOptions>({ dtype: true, requiresGrad: true });

export interface FromDataOptions extends TensorOptions {
  /** The shape of a flat typed array or number list (default: as given). */
  shape?: Shape;
}
const fromDataOptionKeys = optionKeys<FromDataOptions>({ dtype: true, requiresGrad: true, shape: true });

export interface RandomOptions extends TensorOptions {
  /** Where the numbers come from (null or undefined: the default generator, seeded by manualSeed). */
  generator?: Generator | null;
}
const randomOptionKeys = optionKeys<RandomOptions>({ dtype: true, requiresGrad: true, generator: true });

function checkDType(dtype: unknown, where: string): DType {
  if (!isDType(dtype)) throw new TypeError(`${where}: dtype must be 'float64' or 'float32', got ${JSON.stringify(dtype)}`);
  return dtype;
}

/** Shape of a nested array, checking it is rectangular and holds only finite-or-not numbers. */
function inferShape(value: NestedArray, where: string): number[] {
  const shape: number[] = [];
  let level: NestedArray = value;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  const check = (v: NestedArray, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (typeof v !== 'number') throw new TypeError(`${where}: expected a number at ${path || 'the top level'}, got ${typeof v}`);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      throw new RangeError(
        `${where}: ragged nested array at ${path || 'the top level'} (expected length ${shape[dim]} as in ${formatShape(shape)})`,
      );
    }
    v.forEach((child: NestedArray, i: number) => {
      check(child, dim + 1, `${path}[${i}]`);
    });
  };
  check(value, 0, '');
  return shape;
}

function flatten(value: NestedArray, out: TypedArray, at = { i: 0 }): void {
  if (typeof value === 'number') out[at.i++] = value;
  else for (const v of value) flatten(v, out, at);
}

/**
 * Makes a tensor from a number, a nested array, or a flat typed array / number list with `shape`.
 * Typed arrays are copied (the tensor owns its storage); dtype defaults to float64, or to the
 * typed array's own type.
 */
export function tensor(data: NestedArray | TypedArray, options: FromDataOptions = {}): Tensor {
  checkOptions('tensor', options, fromDataOptionKeys);
  const isTyped = data instanceof Float64Array || data instanceof Float32Array;
  const dtype = checkDType(options.dtype ?? (isTyped ? dtypeOf(data as TypedArray) : 'float64'), 'tensor');
  const wanted = options.shape === undefined ? undefined : checkShape(options.shape, 'tensor');
  let shape: number[];
  let storage: TypedArray;
  if (isTyped || (wanted && Array.isArray(data) && data.every((v) => typeof v === 'number'))) {
    const flat = data as ArrayLike<number>;
    shape = wanted ?? [flat.length];
    if (sizeOf(shape) !== flat.length) {
      throw new RangeError(`tensor: ${flat.length} values cannot take shape ${formatShape(shape)} (${sizeOf(shape)} needed)`);
    }
    storage = allocate(dtype, flat.length);
    storage.set(flat);
  } else {
    shape = inferShape(data as NestedArray, 'tensor');
    if (wanted && sizeOf(wanted) !== sizeOf(shape)) {
      throw new RangeError(`tensor: data of shape ${formatShape(shape)} cannot take shape ${formatShape(wanted)}`);
    }
    storage = allocate(dtype, sizeOf(shape));
    flatten(data as NestedArray, storage);
    if (wanted) shape = wanted;
  }
  return Tensor.fromData(storage, shape, options.requiresGrad ?? false);
}

function filled(shape: Shape, options: TensorOptions, where: string, fill: (out: TypedArray) => void, keys = tensorOptionKeys): Tensor {
  checkOptions(where, options, keys);
  const sizes = checkShape(shape, where);
  const out = allocate(checkDType(options.dtype ?? 'float64', where), sizeOf(sizes));
  fill(out);
  return Tensor.fromData(out, sizes, options.requiresGrad ?? false);
}

export function full(shape: Shape, value: number, options: TensorOptions = {}): Tensor {
  return filled(shape, options, 'full', (out) => out.fill(value));
}

export function zeros(shape: Shape, options: TensorOptions = {}): Tensor {
  return filled(shape, options, 'zeros', () => undefined);
}

export function ones(shape: Shape, options: TensorOptions = {}): Tensor {
  return filled(shape, options, 'ones', (out) => out.fill(1));
}

/** Values start, start+step, … below end (PyTorch's arange). */
export function arange(start: number, end?: number, step = 1, options: TensorOptions = {}): Tensor {
  if (end === undefined) [start, end] = [0, start];
  if (step === 0 || !Number.isFinite(step)) throw new RangeError(`arange: step must be finite and non-zero, got ${step}`);
  const n = Math.max(0, Math.ceil((end - start) / step));
  return filled([n], options, 'arange', (out) => {
    for (let i = 0; i < n; i++) out[i] = start + i * step;
  });
}

export function eye(n: number, options: TensorOptions = {}): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`eye: n must be a non-negative integer, got ${n}`);
  return filled([n, n], options, 'eye', (out) => {
    for (let i = 0; i < n; i++) out[i * n + i] = 1;
  });
}

/** A tensor of independent draws from the options' generator. */
function drawn(shape: Shape, options: RandomOptions, where: string, draw: (g: Generator) => number): Tensor {
  checkOptions(where, options, randomOptionKeys);
  const g = generatorOf(where, options.generator);
  const fill = (out: TypedArray): void => {
    for (let i = 0; i < out.length; i++) out[i] = draw(g);
  };
  return filled(shape, options, where, fill, randomOptionKeys);
}

/** Uniform samples in [0, 1). */
export function rand(shape: Shape, options: RandomOptions = {}): Tensor {
  return drawn(shape, options, 'rand', (g) => g.random());
}

/** Standard normal samples. */
export function randn(shape: Shape, options: RandomOptions = {}): Tensor {
  return drawn(shape, options, 'randn', (g) => g.normal());
}

/** Uniform samples in [low, high); low = high gives that value (PyTorch's uniform_ refuses low > high too). */
export function uniform(shape: Shape, low: number, high: number, options: RandomOptions = {}): Tensor {
  if (!(Number.isFinite(low) && Number.isFinite(high) && low <= high)) {
    throw new RangeError(`uniform: expected finite low ≤ high, got low ${formatValue(low)}, high ${formatValue(high)}`);
  }
  return drawn(shape, options, 'uniform', (g) => g.uniform(low, high));
}

/** 1 with probability p, else 0, elementwise. */
export function bernoulli(shape: Shape, p: number, options: RandomOptions = {}): Tensor {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`bernoulli: p must be in [0, 1], got ${p}`);
  return drawn(shape, options, 'bernoulli', (g) => g.bernoulli(p));
}

/** `t`'s dtype unless the options name one; checked before the spread, which would hide a null. */
function like<Options extends TensorOptions>(where: string, t: Tensor, options: Options, keys: readonly string[]): Options {
  return { dtype: t.dtype, ...checkOptions(where, options, keys) };
}
export const zerosLike = (t: Tensor, options: TensorOptions = {}): Tensor =>
  zeros(t.shape, like('zerosLike', t, options, tensorOptionKeys));
export const onesLike = (t: Tensor, options: TensorOptions = {}): Tensor => ones(t.shape, like('onesLike', t, options, tensorOptionKeys));
export const fullLike = (t: Tensor, value: number, options: TensorOptions = {}): Tensor =>
  full(t.shape, value, like('fullLike', t, options, tensorOptionKeys));
export const randLike = (t: Tensor, options: RandomOptions = {}): Tensor => rand(t.shape, like('randLike', t, options, randomOptionKeys));
export const randnLike = (t: Tensor, options: RandomOptions = {}): Tensor =>
  randn(t.shape, like('randnLike', t, options, randomOptionKeys));
