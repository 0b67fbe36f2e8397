/**
 * concat (alias cat) joins tensors along an existing dim; stack along a new one (it unsqueezes
 * each input and concatenates, so it needs no backward of its own).
 *   concat:  dXᵢ = the slice of dY along dim that Xᵢ filled.
 */
import { Tensor } from '../tensor';
import { defineOp } from '../define-op';
import { allocate, promote } from '../../base/dtype';
import { formatShape, normalizeDim, sameShape, sizeOf } from '../../base/shape';
import { unsqueeze } from './views';
import { slice } from './indexing';

function checkConcat(tensors: readonly Tensor[], dim: number): number {
  if (tensors.length === 0) throw new RangeError('concat: expected at least one tensor, got an empty list');
  const first = tensors[0];
  if (first.ndim === 0) throw new RangeError('concat: tensor 0 is zero-dimensional and cannot be concatenated (use stack)');
  const d = normalizeDim(dim, first.ndim, 'concat');
  tensors.forEach((t, i) => {
    if (t.ndim !== first.ndim || !t.shape.every((size, k) => k === d || size === first.shape[k])) {
      throw new RangeError(
        `concat: tensor ${i} has shape ${formatShape(t.shape)}, which does not match shape ${formatShape(first.shape)} of tensor 0 outside dim ${d}`,
      );
    }
  });
  return d;
}

/** Tensors as separate arguments, so defineOp sees (and records) each one. */
const concatOp = defineOp({
  name: 'concat',
  forward: (dim: number, ...tensors: Tensor[]) => {
    const d = checkConcat(tensors, dim);
    const sizes = tensors.map((t) => t.shape[d]);
    const shape = tensors[0].shape;
    shape[d] = sizes.reduce((s, n) => s + n, 0);
    const inner = sizeOf(shape.slice(d + 1));
    const outer = sizeOf(shape.slice(0, d));
    const rowLength = shape[d] * inner;
    const out = allocate(tensors.map((t) => t.dtype).reduce(promote), sizeOf(shape));
    let column = 0;
    tensors.forEach((t, i) => {
      // Each outer index holds one contiguous run of sizes[i]·inner values from this input.
      const run = sizes[i] * inner;
      const data = t.values();
      for (let o = 0; o < outer; o++) out.set(data.subarray(o * run, (o + 1) * run), o * rowLength + column);
      column += run;
    });
    return { output: Tensor.fromData(out, shape), saved: { dim: d, sizes } };
  },
  backward: ({ dim, sizes }, g, needs) => {
    let start = 0;
    return [
      null,
      ...sizes.map((size, i) => {
        const grad = needs[i + 1] ? slice(g, dim, start, start + size) : null;
        start += size;
        return grad;
      }),
    ];
  },
});

export function concat(tensors: readonly Tensor[], dim = 0): Tensor {
  return concatOp(dim, ...tensors);
}

export const cat = concat;

/** Joins equally shaped tensors along a new dim at position `dim` of the result. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new RangeError('stack: expected at least one tensor, got an empty list');
  const shape = tensors[0].shape;
  tensors.forEach((t, i) => {
    if (!sameShape(t.shape, shape)) {
      throw new RangeError(`stack: tensor ${i} has shape ${formatShape(t.shape)}, but tensor 0 has shape ${formatShape(shape)}`);
    }
  });
  const d = normalizeDim(dim, shape.length + 1, 'stack');
  return concat(
    tensors.map((t) => unsqueeze(t, d)),
    d,
  );
}
