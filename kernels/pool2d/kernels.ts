/**
 * The pool2d kernel interface. Every backend ('reference', 'js', 'wasm', 'gpu.js') implements it on
 * flat row-major typed arrays; outputs are preallocated by the caller in the tensor's dtype.
 */
import type { TypedArray } from '../../base/dtype';
import type { AvgPool2dGeometry, MaxPool2dGeometry } from './geometry';

export interface Pool2dKernels {
  /**
   * out[p, oh, ow] = max over the window of x[p]; argmax[p, oh, ow] = ih·inW + iw of the *first*
   * maximum (as PyTorch; a NaN wins and propagates). Padding acts as −∞; a window with no tap inside
   * the input gives −∞ and argmax −1.
   */
  maxPool2dForward(x: TypedArray, geometry: MaxPool2dGeometry, out: TypedArray, argmax: Int32Array): void;
  /**
   * dx = dy scattered to the argmax of each window (none for argmax −1), summed onto +0 as onto
   * PyTorch's zero-filled gradient: dx is written in full, whatever it held (the wasm kernel zeroes
   * a plane just before scattering into it, in cache and split over the threads).
   */
  maxPool2dBackward(dy: TypedArray, argmax: Int32Array, geometry: MaxPool2dGeometry, dx: TypedArray): void;
  /** out[p, oh, ow] = Σ x[p, rows[oh], cols[ow]] / (rows.divisor[oh] · cols.divisor[ow]). */
  avgPool2dForward(x: TypedArray, geometry: AvgPool2dGeometry, out: TypedArray): void;
  /** dx (zero-filled by the caller) += dy[p, oh, ow] / divisor over each window. */
  avgPool2dBackward(dy: TypedArray, geometry: AvgPool2dGeometry, dx: TypedArray): void;
}
