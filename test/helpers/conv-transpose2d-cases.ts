/**
 * Shapes and options for convTranspose2d's gradient checks (first and second order): strides,
 * paddings, outputPadding (below the stride, and below the dilation alone), dilations, groups
 * (depthwise too), batch 1 and 2, odd and non-square sizes, with and without bias, a 1×1 kernel.
 */
import type { ConvTranspose2dOptions } from '../../lib/ops/conv-transpose2d';

export const convTranspose2dCases: Array<{ x: number[]; w: number[]; options: ConvTranspose2dOptions; bias?: boolean }> = [
  { x: [2, 3, 3, 4], w: [3, 2, 3, 3], options: {} },
  { x: [1, 2, 3, 3], w: [2, 3, 3, 2], options: { stride: 2, padding: 1, outputPadding: 1 } },
  { x: [1, 2, 4, 3], w: [2, 2, 2, 3], options: { stride: [2, 3], padding: [1, 0], outputPadding: [0, 2] } },
  { x: [2, 1, 3, 3], w: [1, 2, 3, 3], options: { dilation: 2, padding: 2 } },
  { x: [1, 2, 3, 5], w: [2, 1, 2, 2], options: { dilation: [2, 1], outputPadding: [1, 0] } },
  { x: [1, 4, 3, 3], w: [4, 3, 3, 2], options: { groups: 2, stride: 2, padding: 1 } },
  { x: [2, 3, 3, 3], w: [3, 1, 3, 3], options: { groups: 3, stride: 2 }, bias: false },
  { x: [1, 3, 5, 3], w: [3, 2, 1, 1], options: {} },
];
