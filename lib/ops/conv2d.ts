/**
 * conv2d: 2-D convolution (cross-correlation, as in PyTorch) over NCHW input with weights
 * [outC, C/groups, kH, kW] and an optional bias [outC].
 *
 * Forward, for output channel o in group g = ⌊o / (outC/groups)⌋ and Cg = C/groups:
 *   y[n,o,i,j] = b[o] + Σ_{c<Cg, p, q} w[o,c,p,q] · x[n, g·Cg + c, i·s + p·d − pad, j·s + q·d − pad]
 * (taps in the padding read 0). Backward, by the chain rule on that sum:
 *   dX = convTranspose2d(dY, W):  every x element receives dY[n,o,i,j]·w[o,c,p,q] from each tap that read it
 *   dW[o,c,p,q] = Σ_{n,i,j} dY[n,o,i,j] · x[n, g·Cg + c, i·s + p·d − pad, j·s + q·d − pad]  = conv2dWeightGrad(X, dY)
 *   db[o]       = Σ_{n,i,j} dY[n,o,i,j]
 * First order runs the kernels on raw arrays; with createGraph the same three are the ops
 * transposedConvolution, conv2dWeightGrad and sum, each differentiable again (conv-transpose2d.ts
 * and conv2d-weight-grad.ts carry their own derivations).
 *
 * The loops live in kernels/conv2d, picked by the current backend. The output has the input's
 * dtype; weight and bias are read in that dtype, and their gradients come back in their own.
 */
import { Tensor } from '../tensor';
import { defineOp } from '../define-op';
import { allocateUnfilled } from '../../base/dtype';
import { isGradEnabled } from '../grad-mode';
import { type ConvOp, type ConvSaved, convSaved, inDType, kernelGradients } from './conv-operands';
import { transposedConvolution } from './conv-transpose2d';
import { conv2dWeightGrad } from './conv2d-weight-grad';
import { sum } from './reductions';
import { checkShape, sizeOf } from '../../base/shape';
import { type Conv2dGeometry, type Conv2dOptions, conv2dGeometry, conv2dKernels, outputShape } from '../../kernels/conv2d';
import { checkOptions, optionKeys } from '../validate';

export type { Conv2dOptions } from '../../kernels/conv2d';
/** Conv2dOptions' keys (the type lives with the geometry in kernels/; the compiler keeps them in step). */
export const conv2dOptionKeys = optionKeys<Conv2dOptions>({ stride: true, padding: true, dilation: true, groups: true });

/** The convolution of a resolved geometry, on checked operands (conv2d checks them; the conv ops' backwards pass their own). */
export const convolution: ConvOp = defineOp({
  name: 'conv2d',
  forward: (x: Tensor, weight: Tensor, bias: Tensor | null, geo: Conv2dGeometry) => {
    const saved = convSaved(x, weight, bias, geo);
    // A huge padding or batch asks for more than one typed array holds: named here, not by the engine.
    const shape = checkShape(outputShape(geo), 'conv2d', { argument: 'output shape' });
    const out = allocateUnfilled(x.dtype, sizeOf(shape));
    conv2dKernels().forward(saved.xData, saved.weightData, bias ? inDType(bias.values(), x.dtype) : null, geo, out);
    return { output: Tensor.fromData(out, shape), saved };
  },
  backward: (saved: ConvSaved, gradOutput, needsGrad) => {
    const { x, weight, geo } = saved;
    if (isGradEnabled()) {
      return [
        needsGrad[0] ? transposedConvolution(gradOutput, weight, null, geo) : null,
        needsGrad[1] ? conv2dWeightGrad(x, gradOutput, geo) : null,
        needsGrad[2] ? sum(gradOutput, [0, 2, 3]) : null,
      ];
    }
    const kernels = conv2dKernels();
    return kernelGradients(saved, gradOutput, needsGrad, {
      input: (gy, { weightData }, gx) => kernels.backwardInput(gy, weightData, geo, gx),
      weight: (gy, { xData }, gw) => kernels.backwardWeight(gy, xData, geo, gw),
      outputLayout: [geo.n, geo.outC, geo.outH * geo.outW],
    });
  },
});

/** F.conv2d(x, weight, bias?, { stride, padding, dilation, groups }), as PyTorch's conv2d. */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv2dOptions = {}): Tensor {
  checkOptions('conv2d', options, conv2dOptionKeys);
  return convolution(x, weight, bias ?? null, conv2dGeometry(x.shape, weight.shape, bias ? bias.shape : null, options));
}
