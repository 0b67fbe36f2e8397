/**
 * conv2dInference: conv2d's forward with a fused epilogue (kernels/conv2d/epilogue.ts: the ReLU and
 * the 2×2 max pool that follow the conv), for the gradient-free inference path of nn/inference. It is NOT a
 * differentiable op: it records no graph and has no backward, so it refuses to run with grad mode
 * on; there the plain ops (conv2d, batchNorm, relu) run and eval stays differentiable.
 *
 *   y[n,o,i,j] = max(b[o] + Σ_{c,p,q} w[o,c,p,q] · x[n, g·Cg + c, i·s + p·d − pad, j·s + q·d − pad], 0)   (relu)
 *   out[n,o,i,j] = max of y[n,o,2i..2i+1, 2j..2j+1]                                                       (maxPool2x2)
 *
 * The output has the input's dtype, and weight and bias are read in it, as conv2d does (the
 * inference path hands them over already in it, so nothing is converted per call).
 */
import { Tensor } from '../tensor';
import { allocate, inOp } from '../../base/dtype';
import { isGradEnabled } from '../grad-mode';
import { inDType } from './conv-operands';
import { checkShape, sizeOf } from '../../base/shape';
import { type Conv2dEpilogue, type Conv2dGeometry, conv2dKernels, epilogueOutputSize } from '../../kernels/conv2d';

export function conv2dInference(x: Tensor, weight: Tensor, bias: Tensor | null, geo: Conv2dGeometry, epilogue: Conv2dEpilogue): Tensor {
  if (isGradEnabled()) {
    throw new Error('conv2dInference: records no gradient, so it runs only inside noGrad(); use conv2d (and relu) with gradients');
  }
  const shape = checkShape([geo.n, geo.outC, ...epilogueOutputSize(geo, epilogue)], 'conv2d', { argument: 'output shape' });
  // An op's output, so on the wasm backend it may live in the wasm memory (base/dtype.ts inOp).
  const out = inOp(() => allocate(x.dtype, sizeOf(shape)));
  const weightData = inDType(weight.values(), x.dtype);
  const biasData = bias ? inDType(bias.values(), x.dtype) : null;
  conv2dKernels().forward(x.values(), weightData, biasData, geo, out, epilogue);
  return Tensor.fromData(out, shape);
}
