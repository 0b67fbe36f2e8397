/**
 * The backwards of max and average pooling as ops of their own, so that pooling is twice
 * differentiable (the pooling ops call them with or without createGraph: their forwards are the
 * kernels the first-order backward always ran, so first order is unchanged bit for bit).
 *
 * maxPool2dBackward(gy):  dX[p, a] = Σ_{o : argmax[p,o] = a} gy[p, o], the scatter-add of gy to the
 * argmax the forward saved. It is linear in gy, and the argmax is a constant of x (it does not move
 * under an infinitesimal change of x away from ties), so with G = dL/dX (shaped as x):
 *   dL/dgy[p, o] = G[p, argmax[p, o]]   a gather of G by the same argmax (0 for a window with none)
 *   dL/dx        = 0                     x is no input of the scatter
 * as PyTorch's double backward of max_pool2d (a gather by its indices).
 *
 * avgPool2dBackward(gy):  dX = Aᵀ·gy, where y = A·x is the forward's averaging (A[o, i] = 1/divisor[o]
 * for every input cell i of window o). Linear in gy, so with G = dL/dX:
 *   dL/dgy = A·G                         average pooling of G over the same windows: avgPool2d again
 * and the backward of that is this op once more, to any order.
 */
import { Tensor } from '../tensor';
import { defineOp } from '../define-op';
import { type DType, allocate, allocateUnfilled } from '../../base/dtype';
import { sizeOf } from '../../base/shape';
import { type AvgPool2dGeometry, type MaxPool2dGeometry, pool2dKernels } from '../../kernels/pool2d';
import { gatherAt } from './gather-scatter';
import { averagePool } from './pool2d';

/** What a pooling forward saves for its backward: its windows, and x's shape and dtype (not x). */
interface PoolSaved<Geometry> {
  geometry: Geometry;
  inputShape: number[];
  dtype: DType;
}

export interface MaxPoolSaved extends PoolSaved<MaxPool2dGeometry> {
  /** Per output cell, ih·inW + iw of its window's first maximum in its plane (−1: none). */
  argmax: Int32Array;
}

export type AveragingSaved = PoolSaved<AvgPool2dGeometry>;

/** The argmax as row-major offsets into x (−1 kept), as gatherAt reads them. */
function argmaxOffsets({ argmax, geometry }: MaxPoolSaved): Int32Array {
  const planeOut = geometry.outH * geometry.outW;
  const planeIn = geometry.inH * geometry.inW;
  return argmax.map((a, o) => (a < 0 ? -1 : Math.floor(o / planeOut) * planeIn + a));
}

export const maxPool2dBackward: (gradOutput: Tensor, saved: MaxPoolSaved) => Tensor = defineOp({
  name: 'maxPool2dBackward',
  forward: (gradOutput: Tensor, saved: MaxPoolSaved) => {
    const dx = allocateUnfilled(saved.dtype, sizeOf(saved.inputShape)); // the kernel writes all of it
    pool2dKernels().maxPool2dBackward(gradOutput.values(), saved.argmax, saved.geometry, dx);
    return { output: Tensor.fromData(dx, saved.inputShape), saved: { pool: saved, gradShape: gradOutput.shape } };
  },
  backward: ({ pool, gradShape }, g) => [gatherAt(g, argmaxOffsets(pool), gradShape)],
});

export const avgPool2dBackward: (gradOutput: Tensor, saved: AveragingSaved) => Tensor = defineOp({
  name: 'avgPool2dBackward',
  forward: (gradOutput: Tensor, saved: AveragingSaved) => {
    const dx = allocate(saved.dtype, sizeOf(saved.inputShape));
    pool2dKernels().avgPool2dBackward(gradOutput.values(), saved.geometry, dx);
    return { output: Tensor.fromData(dx, saved.inputShape), saved: saved.geometry };
  },
  backward: (geometry, g) => [averagePool(g, geometry)],
});
