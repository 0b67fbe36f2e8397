/**
 * Tensor: an n-dimensional array of float64 or float32 numbers that can take part in autograd.
 *
 * Storage is an `ndarray` view (typed array + shape + strides + offset), so transpose, permute and
 * slicing are free views that share memory with their source. Ops read their inputs through
 * `values()` and write fresh row-major outputs. The ndarray view (`nd`) is the core's own
 * business: it is marked @internal, so the published declarations (built with stripInternal) never
 * name ndarray's types, and code outside the core writes a tensor's numbers through `storage`.
 *
 * On the wasm backend the float32 output of an op may live in the WebAssembly memory, where the
 * kernels read and write it without copies (kernels/wasm/resident-storage.ts). The core reads such
 * arrays through the internal `values()` / `writableStorage()`; the public accessors (`data`,
 * `storage`, `contiguousData()`) first move them to an ordinary array, so that no array a user holds
 * can see the wasm memory.
 *
 * The method forms of the ops (`x.add(y)`, `x.sum(1)`, `loss.backward()`) are defined on the class,
 * each calling the function of the same name with the tensor as first argument, so that any file
 * importing Tensor has them. Ops import this file and this file imports the ops: the cycle is
 * harmless because neither side touches the other at module load, only inside function bodies.
 */
import ndarray from 'ndarray';
import ops from 'ndarray-ops';
import { type DType, type TypedArray, allocate, allocateOnHeap, dtypeOf } from '../base/dtype';
import { isResident } from '../kernels/wasm/resident-storage';
import { type Shape, checkShape, formatShape, formatValue, rowMajorStrides, sameShape, sizeOf } from '../base/shape';
import type { BackwardOptions, GradFn } from './autograd';
import { runBackward } from './autograd';
import type { TensorLike } from './ops/elementwise';
import { add, div, mul, neg, pow, sub } from './ops/arithmetic';
import { abs, clamp, type ClampBounds, exp, log, sqrt } from './ops/unary';
import { leakyRelu, relu, sigmoid, tanh } from './ops/activations';
import { type Dims, max, mean, min, sum, variance, type VarOptions } from './ops/reductions';
import { logSoftmax, softmax } from './ops/softmax';
import { matmul } from './ops/matmul';
import { contiguous, expand, flatten, permute, reshape, squeeze, transpose, unsqueeze, view } from './ops/views';

/** @internal The core's view type. */
export type NdView = ndarray.NdArray<TypedArray>;
export type NestedArray = number | readonly NestedArray[];

/**
 * Where a tensor's numbers are: element (i, j, …) is `data[offset + i·stride[0] + j·stride[1] + …]`.
 * Every ndarray is one.
 */
export interface StridedView {
  readonly data: TypedArray;
  readonly shape: readonly number[];
  readonly stride: readonly number[];
  readonly offset: number;
}

let nextId = 0;

/**
 * How many times each typed array was written in place (PyTorch's version counter): keyed by the
 * array, so a tensor and every view of it share one count. Ops note the versions of what they save
 * for backward (lib/define-op.ts), and backward refuses one that moved since.
 */
const versions = new WeakMap<TypedArray, number>();

/** @internal The number of in-place writes to `array` so far. */
export function versionOf(array: TypedArray): number {
  return versions.get(array) ?? 0;
}

/** @internal Records an in-place write to `tensor`'s memory (by storage, or an op that updates a buffer). */
export function markWritten(tensor: Tensor): void {
  versions.set(tensor.nd.data, versionOf(tensor.nd.data) + 1);
}

/**
 * How `grad` fails to fit `tensor` (PyTorch: "assigned grad has data of a different size / type"),
 * or null when it fits: the .grad setter and the optimizers' step both refuse such a gradient.
 */
export function gradientMismatch(tensor: Tensor, grad: Tensor): { kind: 'shape' | 'dtype'; message: string } | null {
  if (!sameShape(grad.nd.shape, tensor.nd.shape)) {
    return {
      kind: 'shape',
      message: `a gradient of shape ${formatShape(grad.shape)} for a tensor of shape ${formatShape(tensor.shape)}`,
    };
  }
  if (grad.dtype !== tensor.dtype) {
    return { kind: 'dtype', message: `a ${grad.dtype} gradient for a ${tensor.dtype} tensor` };
  }
  return null;
}

/** The storage of a tensor whose memory was given back (markFreed): empty, so that any use is caught. */
const freedStorage = { float32: new Float32Array(0), float64: new Float64Array(0) };

/**
 * @internal Marks `tensor` as one whose memory was given back for reuse (lib/chain-activations.ts):
 * from now on reading it throws instead of showing another tensor's numbers.
 */
export function markFreed(tensor: Tensor): void {
  tensor.nd.data = freedStorage[tensor.dtype];
}

function checkNotFreed(tensor: Tensor): void {
  if (tensor.nd.data === freedStorage[tensor.dtype] && tensor.numel > 0) {
    throw new Error(
      `this ${formatShape(tensor.shape)} tensor is an activation inside an nn.Sequential whose memory was reused after backward released the graph; keep what you need (a layer's output via its own forward, or retainGraph: true)`,
    );
  }
}

export class Tensor {
  /** @internal The ndarray view holding this tensor's numbers. */
  readonly nd: NdView;
  readonly dtype: DType;
  private gradTensor: Tensor | null = null;
  /** The node that produced this tensor in the autograd graph; null for leaves. */
  gradFn: GradFn | null = null;
  /** Keep `.grad` on this non-leaf tensor too (as PyTorch's retain_grad()). */
  retainsGrad = false;
  /** A unique id, for readable graph dumps and stable ordering. */
  readonly id = nextId++;
  private requiresGradFlag = false;

  /** A tensor over `view`'s numbers, not copied (Tensor.fromData is the usual way to make one). */
  constructor(view: StridedView, requiresGrad = false) {
    this.nd = ndarray(view.data, [...view.shape], [...view.stride], view.offset);
    this.dtype = dtypeOf(view.data);
    if (requiresGrad) this.requiresGrad = true;
  }

  /** A contiguous tensor over `data` (not copied) with the given shape. */
  static fromData(data: TypedArray, shape: Shape, requiresGrad = false): Tensor {
    const sizes = checkShape(shape, 'Tensor.fromData');
    if (data.length !== sizeOf(sizes)) {
      throw new RangeError(`Tensor: ${data.length} values do not fill shape ${formatShape(sizes)} (${sizeOf(sizes)} expected)`);
    }
    return new Tensor(ndarray(data, sizes), requiresGrad);
  }

  /** Accumulated gradient after backward(); only kept for leaves (and tensors that `retainGrad()`). */
  get grad(): Tensor | null {
    return this.gradTensor;
  }

  /** Refuses a gradient that does not fit this tensor, as PyTorch does, so no update reads past it. */
  set grad(value: Tensor | null) {
    if (value !== null) {
      if (!(value instanceof Tensor))
        throw new TypeError(`grad: the assigned gradient must be a Tensor or null, got ${formatValue(value)}`);
      const mismatch = gradientMismatch(this, value);
      if (mismatch) {
        const [ErrorType, pytorchWords] = mismatch.kind === 'shape' ? [RangeError, 'size'] : [TypeError, 'type'];
        throw new ErrorType(`grad: cannot assign ${mismatch.message} (data of a different ${pytorchWords})`);
      }
    }
    this.gradTensor = value;
  }

  get requiresGrad(): boolean {
    return this.requiresGradFlag;
  }

  set requiresGrad(value: boolean) {
    if (!value && this.gradFn) {
      throw new Error('requiresGrad: cannot turn gradients off on a non-leaf tensor; use detach() instead');
    }
    this.requiresGradFlag = value;
  }

  /**
   * How many in-place writes this tensor's memory has had (PyTorch's `_version`): each use of
   * `storage` and each in-place update by an op counts. Writes through `data` cannot be seen.
   */
  get _version(): number {
    return versionOf(this.nd.data);
  }

  /** True for tensors created by the user (not by an op that records a gradient). */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  get shape(): number[] {
    return this.nd.shape.slice();
  }

  get strides(): number[] {
    return this.nd.stride.slice();
  }

  get ndim(): number {
    return this.nd.shape.length;
  }

  get numel(): number {
    return this.nd.size;
  }

  /** True when the view reads its typed array in row-major order from offset 0 to the end. */
  get isContiguous(): boolean {
    if (this.nd.offset !== 0 || this.nd.data.length !== this.nd.size) return false;
    const expected = rowMajorStrides(this.nd.shape);
    return this.nd.shape.every((d, i) => d === 1 || this.nd.stride[i] === expected[i]);
  }

  /**
   * The numbers in row-major order as one flat typed array. For a contiguous tensor this is the
   * storage itself (writes are visible to the tensor); for a view it is a fresh copy.
   */
  get data(): TypedArray {
    return this.contiguousData();
  }

  /**
   * The typed array holding this tensor's numbers in row-major order, to write them in place
   * (optimizers, initializers, loading weights): a write changes this tensor and every view of it.
   * Only a contiguous tensor has such an array, so a view throws: its numbers are spread through
   * the array it shares (`data` reads any tensor; `contiguous()` makes a copy that has storage).
   * Each use counts as a write (`_version` goes up), so backward can refuse a saved tensor that
   * changed; writes through `data` are not seen.
   */
  get storage(): TypedArray {
    checkNotFreed(this);
    this.moveToHeap();
    return this.writableStorage();
  }

  /** `data` as a method (the name ops written outside the core use). */
  contiguousData(): TypedArray {
    checkNotFreed(this);
    if (!this.isContiguous) return this.copyTo(allocateOnHeap(this.dtype, this.numel));
    this.moveToHeap();
    return this.nd.data;
  }

  /** @internal `storage` for the core: the array where it is, wasm memory included. */
  writableStorage(): TypedArray {
    checkNotFreed(this);
    if (!this.isContiguous) {
      throw new Error(
        `storage: a view (shape ${formatShape(this.shape)}, strides ${formatShape(this.strides)}) has no storage of its own; use contiguous() for a copy`,
      );
    }
    markWritten(this);
    return this.nd.data;
  }

  /** @internal `data` for the core: the numbers in row-major order, where they are (wasm memory included) when contiguous, else a copy. */
  values(): TypedArray {
    checkNotFreed(this);
    return this.isContiguous ? this.nd.data : this.copyTo(allocate(this.dtype, this.numel));
  }

  private copyTo(target: TypedArray): TypedArray {
    const out = ndarray(target, this.nd.shape.slice());
    if (this.numel > 0) ops.assign(out, this.nd);
    return target;
  }

  /**
   * Moves an array that lives in the wasm memory to an ordinary one before it is handed to a user
   * (see the file comment), with its version count; the wasm block is reclaimed once nothing in the
   * core holds it. Only op outputs live there, and only this tensor is moved: a view of it made
   * before keeps reading the wasm copy, so a write through one is not seen through the other.
   */
  private moveToHeap(): void {
    const array = this.nd.data;
    if (!isResident(array)) return;
    const copy = array.slice();
    versions.set(copy, versionOf(array));
    this.nd.data = copy;
  }

  /** A row-major copy when this is a view, else this tensor. Carries no gradient (see ops for that). */
  contiguousStorage(): Tensor {
    return this.isContiguous ? this : Tensor.fromData(this.values(), this.nd.shape);
  }

  /** The numbers as nested JS arrays (a number for a 0-d tensor). */
  toArray(): NestedArray {
    const flat = this.values();
    const shape = this.nd.shape;
    const build = (dim: number, offset: number): NestedArray => {
      if (dim === shape.length) return flat[offset];
      const step = sizeOf(shape.slice(dim + 1));
      return Array.from({ length: shape[dim] }, (_, i) => build(dim + 1, offset + i * step));
    };
    return build(0, 0);
  }

  /** The single number of a one-element tensor. */
  item(): number {
    if (this.numel !== 1) {
      throw new RangeError(`item: only a one-element tensor converts to a number, got shape ${formatShape(this.shape)}`);
    }
    return this.nd.data[this.nd.offset];
  }

  /** A new leaf sharing this tensor's storage, cut from the graph. */
  detach(): Tensor {
    return new Tensor(this.nd);
  }

  /** Sets requiresGrad in place and returns this tensor (PyTorch's requires_grad_()). */
  requiresGrad_(value = true): this {
    this.requiresGrad = value;
    return this;
  }

  /** Keeps `.grad` on this tensor even if it is not a leaf. */
  retainGrad(): this {
    this.retainsGrad = true;
    return this;
  }

  toString(): string {
    const grad = this.gradFn ? `, gradFn=${this.gradFn.name}` : this.requiresGrad ? ', requiresGrad=true' : '';
    const body = this.numel <= 64 ? JSON.stringify(this.toArray()) : `<${this.numel} values>`;
    return `tensor(${body}, shape=${formatShape(this.shape)}, dtype=${this.dtype}${grad})`;
  }

  /** Gradients of this tensor (a scalar, or with gradOutput) w.r.t. every leaf requiring grad. */
  backward(gradOutput?: Tensor, options?: BackwardOptions): void {
    runBackward(this, gradOutput, options);
  }

  add(other: TensorLike): Tensor {
    return add(this, other);
  }

  sub(other: TensorLike): Tensor {
    return sub(this, other);
  }

  mul(other: TensorLike): Tensor {
    return mul(this, other);
  }

  div(other: TensorLike): Tensor {
    return div(this, other);
  }

  pow(exponent: TensorLike): Tensor {
    return pow(this, exponent);
  }

  neg(): Tensor {
    return neg(this);
  }

  exp(): Tensor {
    return exp(this);
  }

  log(): Tensor {
    return log(this);
  }

  sqrt(): Tensor {
    return sqrt(this);
  }

  abs(): Tensor {
    return abs(this);
  }

  clamp(bounds: ClampBounds): Tensor {
    return clamp(this, bounds);
  }

  relu(): Tensor {
    return relu(this);
  }

  leakyRelu(negativeSlope?: number): Tensor {
    return leakyRelu(this, negativeSlope);
  }

  sigmoid(): Tensor {
    return sigmoid(this);
  }

  tanh(): Tensor {
    return tanh(this);
  }

  sum(dim?: Dims, keepdim?: boolean): Tensor {
    return sum(this, dim, keepdim);
  }

  mean(dim?: Dims, keepdim?: boolean): Tensor {
    return mean(this, dim, keepdim);
  }

  max(dim?: Dims, keepdim?: boolean): Tensor {
    return max(this, dim, keepdim);
  }

  min(dim?: Dims, keepdim?: boolean): Tensor {
    return min(this, dim, keepdim);
  }

  var(dim?: Dims, options?: VarOptions): Tensor {
    return variance(this, dim, options);
  }

  softmax(dim: number): Tensor {
    return softmax(this, dim);
  }

  logSoftmax(dim: number): Tensor {
    return logSoftmax(this, dim);
  }

  matmul(other: Tensor): Tensor {
    return matmul(this, other);
  }

  reshape(shape: Shape): Tensor {
    return reshape(this, shape);
  }

  view(shape: Shape): Tensor {
    return view(this, shape);
  }

  flatten(startDim?: number, endDim?: number): Tensor {
    return flatten(this, startDim, endDim);
  }

  squeeze(dim?: number | readonly number[]): Tensor {
    return squeeze(this, dim);
  }

  unsqueeze(dim: number): Tensor {
    return unsqueeze(this, dim);
  }

  transpose(dim0: number, dim1: number): Tensor {
    return transpose(this, dim0, dim1);
  }

  permute(dims: readonly number[]): Tensor {
    return permute(this, dims);
  }

  expand(shape: Shape): Tensor {
    return expand(this, shape);
  }

  contiguous(): Tensor {
    return contiguous(this);
  }
}
