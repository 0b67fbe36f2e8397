/**
 * The machinery shared by ops whose every output element copies one input element (or a fill
 * value): indexSelect, gather, pad, and max/min's backward. The forward precomputes, per output
 * element, the row-major offset of its source (−1 for a fill); the backward is then the adjoint of
 * that copy, a scatter-add, which accumulates correctly when one source feeds several outputs.
 * The two are ops, each the other's backward, so these gradients are differentiable again:
 *   scatterAdd:  dG = gatherAt(dY)  (with 0 where an output had no source)
 *   gatherAt:    dX = scatterAdd(dY)
 */
import { Tensor } from '../tensor';
import { defineOp } from '../define-op';
import { allocate } from '../../base/dtype';
import { type Shape, rowMajorStrides, sizeOf } from '../../base/shape';

/**
 * Source offsets for an output whose index along dim d is mapped to source index maps[d][i]
 * (−1: no source). The outer product of the maps, in row-major order of the output.
 */
export function offsetsFromDimMaps(maps: readonly Int32Array[], sourceShape: Shape): Int32Array {
  const strides = rowMajorStrides(sourceShape);
  let offsets = Int32Array.of(0);
  maps.forEach((map, d) => {
    const next = new Int32Array(offsets.length * map.length);
    let k = 0;
    for (const base of offsets) {
      for (const index of map) next[k++] = base < 0 || index < 0 ? -1 : base + index * strides[d];
    }
    offsets = next;
  });
  return offsets;
}

/** out[i] = x[offsets[i]] (x read row-major), or `fill` where offsets[i] < 0. */
export function gatherByOffsets(x: Tensor, offsets: Int32Array, shape: Shape, fill = 0): Tensor {
  const source = x.values();
  const out = allocate(x.dtype, offsets.length);
  for (let i = 0; i < offsets.length; i++) {
    const o = offsets[i];
    out[i] = o < 0 ? fill : source[o];
  }
  return Tensor.fromData(out, shape);
}

/** The adjoint of gatherByOffsets: grad[offsets[i]] += g[i] into zeros of `sourceShape`. */
export function scatterAddByOffsets(g: Tensor, offsets: Int32Array, sourceShape: Shape): Tensor {
  const values = g.values();
  const out = allocate(g.dtype, sizeOf(sourceShape));
  for (let i = 0; i < offsets.length; i++) {
    const o = offsets[i];
    if (o >= 0) out[o] += values[i];
  }
  return Tensor.fromData(out, sourceShape);
}

export interface GatherSaved {
  offsets: Int32Array;
  sourceShape: number[];
}

/** out = zeros(sourceShape) with out[offsets[i]] += g[i], as an op. */
export const scatterAdd: (g: Tensor, offsets: Int32Array, sourceShape: Shape) => Tensor = defineOp({
  name: 'scatterAdd',
  forward: (g: Tensor, offsets: Int32Array, sourceShape: Shape) => ({
    output: scatterAddByOffsets(g, offsets, sourceShape),
    saved: { offsets, shape: g.shape },
  }),
  backward: ({ offsets, shape }, gg) => [gatherAt(gg, offsets, shape)],
});

/** out[i] = x[offsets[i]] (0 where offsets[i] < 0), as an op. */
export const gatherAt: (x: Tensor, offsets: Int32Array, shape: Shape) => Tensor = defineOp({
  name: 'gatherAt',
  forward: (x: Tensor, offsets: Int32Array, shape: Shape) => ({
    output: gatherByOffsets(x, offsets, shape),
    saved: { offsets, sourceShape: x.shape },
  }),
  backward: scatterBackward,
});

/** The backward of every op built on gatherByOffsets: dX = scatter-add of dY onto the sources. */
export function scatterBackward(saved: GatherSaved, g: Tensor): Tensor[] {
  return [scatterAdd(g, saved.offsets, saved.sourceShape)];
}
