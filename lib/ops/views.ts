/**
 * Shape ops that only reinterpret storage: reshape (alias view), flatten, squeeze, unsqueeze,
 * permute, transpose, expand, plus contiguous (the differentiable copy to row-major).
 *
 * Outputs share the input's typed array whenever strides can express the new shape (reshape falls
 * back to a copy only when they cannot, as PyTorch's reshape does). Every backward maps the
 * gradient back to the input's shape:
 *   reshape family:  dX = reshape(dY, shape(X))
 *   permute:         dX = permute(dY, inverse(dims))
 *   expand:          dX = sumToShape(dY, shape(X)), dY summed over the broadcast dims
 *   sumToShape:      dG = expand(dY, shape(G))  (the two are each other's adjoint)
 *   contiguous:      dX = dY
 */
import ndarray from 'ndarray';
import { type NdView, Tensor } from '../tensor';
import { defineOp } from '../define-op';
import { type Shape, checkShape, formatShape, normalizeDim, normalizeDims, rowMajorStrides, sizeOf } from '../../base/shape';
import { sumOverBroadcastDims } from './elementwise';

/** A tensor reading x's storage through the given shape, strides and offset (no copy). */
export function stridedView(x: Tensor, shape: number[], stride: number[], offset: number): Tensor {
  return new Tensor(ndarray(x.nd.data, shape, stride, offset));
}

/** Resolves one -1 in `shape` and checks the element count against x's. */
function resolveShape(x: Tensor, requested: Shape): number[] {
  const shape = checkShape(requested, 'reshape', { wildcards: 1 });
  const inferred = shape.filter((d) => d === -1).length;
  const known = sizeOf(shape.filter((d) => d !== -1));
  const resolved = shape.map((d) => (d === -1 && known > 0 ? x.numel / known : d));
  const fits = inferred === 0 ? known === x.numel : known > 0 && Number.isInteger(x.numel / known);
  if (!fits) {
    throw new RangeError(
      `reshape: cannot reshape a tensor of shape ${formatShape(x.shape)} (${x.numel} elements) into ${formatShape(shape)}`,
    );
  }
  return resolved;
}

/**
 * Strides that let `shape` walk nd's elements in the same row-major order, or null when no strides
 * can and a copy is needed. Port of PyTorch's computeStride: old dims are grouped into chunks that
 * are contiguous with one another, and each chunk must be split exactly by new dims.
 */
function viewStrides(nd: NdView, shape: Shape): number[] | null {
  const oldShape = nd.shape;
  const oldStride = nd.stride;
  if (nd.size === 0 || oldShape.length === 0) return rowMajorStrides(shape);
  const stride = new Array<number>(shape.length);
  let viewDim = shape.length - 1;
  let chunkBaseStride = oldStride[oldStride.length - 1];
  let tensorCount = 1;
  let viewCount = 1;
  for (let d = oldShape.length - 1; d >= 0; d--) {
    tensorCount *= oldShape[d];
    const chunkEnds = d === 0 || (oldShape[d - 1] !== 1 && oldStride[d - 1] !== tensorCount * chunkBaseStride);
    if (!chunkEnds) continue;
    while (viewDim >= 0 && (viewCount < tensorCount || shape[viewDim] === 1)) {
      stride[viewDim] = viewCount * chunkBaseStride;
      viewCount *= shape[viewDim];
      viewDim--;
    }
    if (viewCount !== tensorCount) return null;
    if (d > 0) {
      chunkBaseStride = oldStride[d - 1];
      tensorCount = 1;
      viewCount = 1;
    }
  }
  return viewDim === -1 ? stride : null;
}

/** y = x with a new shape (one -1 is inferred); a view when strides allow, else a copy. dX = reshape(dY, shape(X)). */
export const reshape: (x: Tensor, shape: Shape) => Tensor = defineOp({
  name: 'reshape',
  forward: (x: Tensor, shape: Shape) => {
    const target = resolveShape(x, shape);
    const stride = viewStrides(x.nd, target);
    const output = stride ? stridedView(x, target, stride, x.nd.offset) : Tensor.fromData(x.values(), target);
    return { output, saved: x.shape };
  },
  backward: (inputShape, g) => [reshape(g, inputShape)],
});

/** PyTorch's view; unlike PyTorch it also accepts inputs that need a copy (it is reshape). */
export const view = reshape;

/** Merges dims startDim..endDim into one. A 0-d tensor becomes shape [1], as in PyTorch. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const start = normalizeDim(startDim, x.ndim, 'flatten');
  const end = normalizeDim(endDim, x.ndim, 'flatten');
  if (start > end) {
    throw new RangeError(`flatten: startDim ${startDim} comes after endDim ${endDim} for a tensor of shape ${formatShape(x.shape)}`);
  }
  const shape = x.shape;
  return reshape(x, [...shape.slice(0, start), sizeOf(shape.slice(start, end + 1)), ...shape.slice(end + 1)]);
}

/** Removes size-1 dims: all of them, or those listed in `dim` (a listed dim of another size stays). */
export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  const dims = normalizeDims(dim, x.ndim, 'squeeze');
  return reshape(
    x,
    x.shape.filter((size, d) => size !== 1 || !dims.includes(d)),
  );
}

/** Inserts a size-1 dim at `dim` (which counts positions in the result: -1 appends). */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  const at = normalizeDim(dim, x.ndim + 1, 'unsqueeze');
  const shape = x.shape;
  shape.splice(at, 0, 1);
  return reshape(x, shape);
}

function checkPermutation(dims: readonly number[], x: Tensor): number[] {
  const order = dims.length === x.ndim ? dims.map((d) => normalizeDim(d, x.ndim, 'permute')) : [];
  if (order.length !== x.ndim || new Set(order).size !== x.ndim) {
    throw new RangeError(
      `permute: dims ${formatShape(dims)} is not a permutation of the ${x.ndim} dims of a tensor of shape ${formatShape(x.shape)}`,
    );
  }
  return order;
}

/** y = x with its dims reordered so that y's dim i is x's dim dims[i] (a view). dX = permute(dY, inverse(dims)). */
export const permute: (x: Tensor, dims: readonly number[]) => Tensor = defineOp({
  name: 'permute',
  forward: (x: Tensor, dims: readonly number[]) => {
    const order = checkPermutation(dims, x);
    const inverse = new Array<number>(order.length);
    order.forEach((source, i) => {
      inverse[source] = i;
    });
    return { output: new Tensor(x.nd.transpose(...order)), saved: inverse };
  },
  backward: (inverse, g) => [permute(g, inverse)],
});

/** Swaps two dims (a view); its backward is permute's, since a swap is its own inverse. */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const a = normalizeDim(dim0, x.ndim, 'transpose');
  const b = normalizeDim(dim1, x.ndim, 'transpose');
  const order = Array.from({ length: x.ndim }, (_, i) => (i === a ? b : i === b ? a : i));
  return permute(x, order);
}

/** The target of expand: new leading dims, -1 keeps a dim, only size-1 dims may grow. */
function expandedShape(x: Tensor, requested: Shape): number[] {
  const shape = checkShape(requested, 'expand', { wildcards: Infinity });
  const lead = shape.length - x.ndim;
  const fail = (why: string): never => {
    throw new RangeError(`expand: cannot expand a tensor of shape ${formatShape(x.shape)} to ${formatShape(shape)} (${why})`);
  };
  if (lead < 0) fail(`the target has fewer dims than the tensor`);
  return shape.map((size, i) => {
    if (i < lead)
      return Number.isInteger(size) && size >= 0 ? size : fail(`new leading dim ${i} must be a non-negative integer, got ${size}`);
    const own = x.shape[i - lead];
    if (size === -1 || size === own) return own;
    return own === 1 && Number.isInteger(size) && size >= 0 ? size : fail(`dim ${i} has size ${own}, so it can only stay ${own} or be -1`);
  });
}

/** y = x broadcast to `shape` as a stride-0 view (no copy). dX = dY summed over the broadcast dims. */
export const expand: (x: Tensor, shape: Shape) => Tensor = defineOp({
  name: 'expand',
  forward: (x: Tensor, shape: Shape) => {
    const target = expandedShape(x, shape);
    const lead = target.length - x.ndim;
    const stride = target.map((size, i) => (i < lead || x.shape[i - lead] !== size ? 0 : x.nd.stride[i - lead]));
    return { output: stridedView(x, target, stride, x.nd.offset), saved: x.shape };
  },
  backward: (inputShape, g) => [sumToShape(g, inputShape)],
});

/**
 * g summed over the dims along which a tensor of `shape` was broadcast to g's shape (g itself when
 * there are none): every backward of a broadcasting op ends with it. dG = expand(dY, shape(G)).
 */
export const sumToShape: (g: Tensor, shape: Shape) => Tensor = defineOp({
  name: 'sumToShape',
  forward: (g: Tensor, shape: Shape) => ({ output: sumOverBroadcastDims(g, shape), saved: g.shape }),
  backward: (broadcastShape, gg) => [expand(gg, broadcastShape)],
});

/** A row-major copy of x (x's own storage when it already is row-major). dX = dY. */
export const contiguous = defineOp({
  name: 'contiguous',
  forward: (x: Tensor) => ({ output: x.contiguousStorage(), saved: null }),
  backward: (_, g) => [g],
});
