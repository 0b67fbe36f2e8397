/**
 * Indexing along one dim: slice, narrow and select are views of the input's storage; indexSelect
 * and gather copy (an index may repeat).
 *   slice / narrow / select:  dX = zeros with dY written into the selected positions (sliceBackward,
 *                             whose own backward is the slice again)
 *   indexSelect / gather:     dX = zeros with dY scatter-added (repeated indices accumulate)
 */
import ops from 'ndarray-ops';
import { Tensor } from '../tensor';
import { defineOp } from '../define-op';
import { zeros } from '../creation';
import { formatShape, normalizeDim, rowMajorStrides } from '../../base/shape';
import { stridedView, squeeze } from './views';
import { offsetsFromDimMaps, gatherByOffsets, scatterBackward } from './gather-scatter';

interface SliceRange {
  dim: number;
  start: number;
  step: number;
  length: number;
}

/** Python slice semantics: negative start/end count from the end, out-of-range bounds clamp. */
function resolveSlice(x: Tensor, dim: number, start: number, end: number | undefined, step: number): SliceRange {
  const d = normalizeDim(dim, x.ndim, 'slice');
  if (!Number.isInteger(step) || step <= 0) throw new RangeError(`slice: step must be a positive integer, got ${step}`);
  if (!Number.isInteger(start) || (end !== undefined && !Number.isInteger(end))) {
    throw new RangeError(`slice: start and end must be integers, got start ${start} and end ${end}`);
  }
  const size = x.shape[d];
  const clamp = (i: number): number => Math.min(Math.max(i < 0 ? i + size : i, 0), size);
  const from = clamp(start);
  const to = end === undefined ? size : clamp(end);
  return { dim: d, start: from, step, length: Math.max(0, Math.ceil((to - from) / step)) };
}

function sliceView(x: Tensor, range: SliceRange): Tensor {
  const shape = x.shape;
  const stride = x.strides;
  const offset = x.nd.offset + range.start * stride[range.dim];
  shape[range.dim] = range.length;
  stride[range.dim] *= range.step;
  return stridedView(x, shape, stride, offset);
}

/** x[..., start:end:step, ...] along dim, as a view (end omitted: to the end). */
export const slice: (x: Tensor, dim: number, start: number, end?: number, step?: number) => Tensor = defineOp({
  name: 'slice',
  forward: (x: Tensor, dim: number, start: number, end?: number, step: number = 1) => {
    const range = resolveSlice(x, dim, start, end, step);
    return { output: sliceView(x, range), saved: { inputShape: x.shape, range } };
  },
  backward: ({ inputShape, range }, g) => [sliceBackward(g, inputShape, range)],
});

/**
 * slice's backward as an op: zeros of the input's shape with g written into the sliced positions.
 * It is linear in g, and its adjoint is the slice itself:  dG = slice(dY) over the same range.
 */
const sliceBackward = defineOp({
  name: 'sliceBackward',
  forward: (g: Tensor, inputShape: number[], range: SliceRange) => {
    const grad = zeros(inputShape, { dtype: g.dtype });
    if (g.numel > 0) ops.assign(sliceView(grad, range).nd, g.nd);
    return { output: grad, saved: range };
  },
  backward: ({ dim, start, step, length }, gg) => [slice(gg, dim, start, start + (length - 1) * step + 1, step)],
});

/** `length` elements from `start` along dim (a view); unlike slice, out-of-range bounds are errors. */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normalizeDim(dim, x.ndim, 'narrow');
  const size = x.shape[d];
  const from = start < 0 ? start + size : start;
  if (!Number.isInteger(start) || !Number.isInteger(length) || from < 0 || length < 0 || from + length > size) {
    throw new RangeError(`narrow: start ${start} and length ${length} do not fit dim ${d} of size ${size} (shape ${formatShape(x.shape)})`);
  }
  return slice(x, d, from, from + length);
}

/** The sub-tensor at `index` along dim, with that dim removed (a view). */
export function select(x: Tensor, dim: number, index: number): Tensor {
  const d = normalizeDim(dim, x.ndim, 'select');
  const size = x.shape[d];
  if (!Number.isInteger(index) || index < -size || index >= size) {
    throw new RangeError(`select: index ${index} is out of range for dim ${d} of size ${size} (shape ${formatShape(x.shape)})`);
  }
  const at = index < 0 ? index + size : index;
  return squeeze(slice(x, d, at, at + 1), d);
}

/** Reads integer indices, checking each lies in [0, size). */
function checkedIndices(values: ArrayLike<number>, size: number, op: string, dim: number): Int32Array {
  const indices = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0 || v >= size) {
      throw new RangeError(`${op}: index ${v} (at position ${i}) is out of range for dim ${dim} of size ${size}`);
    }
    indices[i] = v;
  }
  return indices;
}

/** The entries of x at `indices` along dim, in that order (repeats allowed). */
export const indexSelect = defineOp({
  name: 'indexSelect',
  forward: (x: Tensor, dim: number, indices: readonly number[] | Tensor) => {
    const d = normalizeDim(dim, x.ndim, 'indexSelect');
    if (indices instanceof Tensor && indices.ndim !== 1) {
      throw new RangeError(`indexSelect: indices must be 1-D, got shape ${formatShape(indices.shape)}`);
    }
    const sourceShape = x.shape;
    const chosen = checkedIndices(indices instanceof Tensor ? indices.values() : indices, sourceShape[d], 'indexSelect', d);
    const maps = sourceShape.map((size, k) => (k === d ? chosen : Int32Array.from({ length: size }, (_, i) => i)));
    const shape = sourceShape.slice();
    shape[d] = chosen.length;
    const offsets = offsetsFromDimMaps(maps, sourceShape);
    return { output: gatherByOffsets(x, offsets, shape), saved: { offsets, sourceShape } };
  },
  backward: scatterBackward,
});

/** Source offsets for gather: output position p reads x at p with its `dim` coordinate replaced by index[p]. */
function gatherOffsets(x: Tensor, dim: number, index: Tensor): Int32Array {
  const shape = index.shape;
  const sizeOk = shape.every((n, k) => k === dim || n <= x.shape[k]);
  if (index.ndim !== x.ndim || !sizeOk) {
    throw new RangeError(
      `gather: index of shape ${formatShape(shape)} must have the rank of input ${formatShape(x.shape)} and no larger size outside dim ${dim}`,
    );
  }
  const chosen = checkedIndices(index.values(), x.shape[dim], 'gather', dim);
  const strides = rowMajorStrides(x.shape);
  const offsets = new Int32Array(chosen.length);
  const counter = new Array<number>(shape.length).fill(0);
  for (let p = 0; p < chosen.length; p++) {
    let offset = 0;
    for (let k = 0; k < shape.length; k++) offset += (k === dim ? chosen[p] : counter[k]) * strides[k];
    offsets[p] = offset;
    for (let k = shape.length - 1; k >= 0 && ++counter[k] === shape[k]; k--) counter[k] = 0;
  }
  return offsets;
}

/** out[p] = x[p with its dim coordinate replaced by index[p]] (PyTorch's gather); out has index's shape. */
export const gather = defineOp({
  name: 'gather',
  forward: (x: Tensor, dim: number, index: Tensor) => {
    const offsets = gatherOffsets(x, normalizeDim(dim, x.ndim, 'gather'), index);
    return { output: gatherByOffsets(x, offsets, index.shape), saved: { offsets, sourceShape: x.shape } };
  },
  backward: scatterBackward,
});
