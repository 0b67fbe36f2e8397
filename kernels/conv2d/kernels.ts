/**
 * Conv2dKernels: the three loops every conv2d backend provides, on flat row-major typed arrays
 * (x: [N,C,H,W], weight: [outC,C/groups,kH,kW], output/gradOutput: [N,outC,outH,outW]).
 * Each call overwrites its destination entirely. The bias gradient is a plain sum of gradOutput
 * and lives in the op, not here.
 */
import type { TypedArray } from '../../base/dtype';
import type { Conv2dEpilogue } from './epilogue';
import type { Conv2dGeometry } from './geometry';

export interface Conv2dKernels {
  /** out = conv2d(x, weight) + bias, then the epilogue (default none: kernels/conv2d/epilogue.ts). */
  forward(
    x: TypedArray,
    weight: TypedArray,
    bias: TypedArray | null,
    geo: Conv2dGeometry,
    out: TypedArray,
    epilogue?: Conv2dEpilogue,
  ): void;
  /** gradInput = ∂L/∂x given gradOutput (a transposed convolution of gradOutput with weight). */
  backwardInput(gradOutput: TypedArray, weight: TypedArray, geo: Conv2dGeometry, gradInput: TypedArray): void;
  /** gradWeight = ∂L/∂weight given gradOutput (a correlation of gradOutput with x). */
  backwardWeight(gradOutput: TypedArray, x: TypedArray, geo: Conv2dGeometry, gradWeight: TypedArray): void;
}
