/**
 * conv2dWeightGrad(x, gy, geo): conv2d's weight gradient as an op of its own, so that conv2d and
 * convTranspose2d are twice differentiable (their backward under createGraph uses it):
 *   W'[o,c,p,q] = Σ_{n,i,j} gy[n,o,i,j] · x[n, g·Cg + c, i·s + p·d − pad, j·s + q·d − pad]
 * It is bilinear in x and gy. With G = dL/dW' (weight-shaped), by the chain rule on that sum:
 *   dL/dgy[n,o,i,j] = Σ_{c,p,q} G[o,c,p,q] · x[n, g·Cg + c, i·s + p·d − pad, …]    = conv2d(x, G)
 *   dL/dx[n,C,u,v]  = Σ G[o,c,p,q] · gy[n,o,i,j] over the taps (i,j,p,q) that read x[n,C,u,v]
 *                                                                                  = convTranspose2d(gy, G)
 * both on the same geometry, and both again ops with a backward made of these three.
 */
import { Tensor } from '../tensor';
import { defineOp } from '../define-op';
import { allocate } from '../../base/dtype';
import type { Conv2dGeometry } from '../../kernels/conv2d';
import { conv2dKernels } from '../../kernels/conv2d';
import { inDType } from './conv-operands';
import { convolution } from './conv2d';
import { transposedConvolution } from './conv-transpose2d';

export const conv2dWeightGrad: (x: Tensor, gradOutput: Tensor, geo: Conv2dGeometry) => Tensor = defineOp({
  name: 'conv2dWeightGrad',
  forward: (x: Tensor, gradOutput: Tensor, geo: Conv2dGeometry) => {
    const shape = [geo.outC, geo.inC / geo.groups, geo.kH, geo.kW];
    const out = allocate(
      x.dtype,
      shape.reduce((a, b) => a * b, 1),
    );
    conv2dKernels().backwardWeight(inDType(gradOutput.values(), x.dtype), x.values(), geo, out);
    return { output: Tensor.fromData(out, shape), saved: { x, gradOutput, geo } };
  },
  backward: ({ x, gradOutput, geo }, g, needsGrad) => [
    needsGrad[0] ? transposedConvolution(gradOutput, g, null, geo) : null,
    needsGrad[1] ? convolution(x, g, null, geo) : null,
  ],
});
