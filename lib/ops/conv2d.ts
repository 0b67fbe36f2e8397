/**
 * conv2d: 2-D convolution (cross-correlation, as in PyTorch) over NCHW input with weights
 * [outC, C/groups, kH, kW] and an optional bias [outC].
 *
 * Forward, for output channel o in group g = ⌊o / (outC/groups)⌋ and Cg = C/groups:
 *   y[n,o,i,j] = b[o] + Σ_{c<Cg, p, q} w[o,c,p,q] · x[n, g·Cg + c, i·s + p·d − pad, j·s + q·d − pad]
 * (taps in the padding read 0). Backward, by the chain rule on that sum:
 *   dX = conv_transpose(dY, W):  every x element receives dY[n,o,i,j]·w[o,c,p,q] from each tap that read it
 *   dW[o,c,p,q] = Σ_{n,i,j} dY[n,o,i,j] · x[n, g·Cg + c, i·s + p·d − pad, j·s + q·d − pad]
 *   db[o]       = Σ_{n,i,j} dY[n,o,i,j]
 * Only the gradients `needsGrad` asks for are computed: a first layer's input gradient is a full
 * transposed convolution nobody reads.
 *
 * The loops live in kernels/conv2d, picked by the current backend. The output has the input's
 * dtype; weight and bias are read in that dtype, and their gradients come back in their own.
 */
import { Tensor } from '../tensor';
import { defineOp, refuseDoubleBackward } from '../define-op';
import { type DType, type TypedArray, allocate } from '../dtype';
import { channelSums, inDType } from './conv-operands';
import { checkShape, sizeOf } from '../shape';
import { type Conv2dGeometry, type Conv2dOptions, conv2dGeometry, conv2dKernels, outputShape } from '../../kernels/conv2d';
import { reusingOperands } from '../../kernels/operand-reuse';
import { checkOptions, optionKeys } from '../validate';

export type { Conv2dOptions } from '../../kernels/conv2d';
/** Conv2dOptions' keys (the type lives with the geometry in kernels/; the compiler keeps them in step). */
export const conv2dOptionKeys = optionKeys<Conv2dOptions>({ stride: true, padding: true, dilation: true, groups: true });

interface Saved {
  x: TypedArray;
  weight: TypedArray;
  geo: Conv2dGeometry;
  shapes: { x: number[]; weight: number[]; bias: number[] | null };
  dtypes: { x: DType; weight: DType; bias: DType | null };
}

export const conv2d = defineOp({
  name: 'conv2d',
  forward: (x: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv2dOptions = {}) => {
    checkOptions('conv2d', options, conv2dOptionKeys);
    const geo = conv2dGeometry(x.shape, weight.shape, bias ? bias.shape : null, options);
    const dtype = x.dtype;
    const xData = x.contiguousData();
    const weightData = inDType(weight.contiguousData(), dtype);
    // A huge padding or batch asks for more than one typed array holds: named here, not by the engine.
    const shape = checkShape(outputShape(geo), 'conv2d', { argument: 'output shape' });
    const out = allocate(dtype, sizeOf(shape));
    conv2dKernels().forward(xData, weightData, bias ? inDType(bias.contiguousData(), dtype) : null, geo, out);
    const saved: Saved = {
      x: xData,
      weight: weightData,
      geo,
      shapes: { x: x.shape, weight: weight.shape, bias: bias ? bias.shape : null },
      dtypes: { x: dtype, weight: weight.dtype, bias: bias ? bias.dtype : null },
    };
    return { output: Tensor.fromData(out, shape), saved };
  },
  backward: ({ x, weight, geo, shapes, dtypes }: Saved, gradOutput, needsGrad) => {
    refuseDoubleBackward('conv2d');
    const kernels = conv2dKernels();
    const gy = inDType(gradOutput.contiguousData(), dtypes.x);
    let dx: Tensor | null = null;
    let dw: Tensor | null = null;
    let db: Tensor | null = null;
    // Both passes read gy, unchanged in between: the wasm kernels copy it in once.
    reusingOperands(() => {
      if (needsGrad[0]) {
        const gx = allocate(dtypes.x, x.length);
        kernels.backwardInput(gy, weight, geo, gx);
        dx = Tensor.fromData(gx, shapes.x);
      }
      if (needsGrad[1]) {
        const gw = allocate(dtypes.x, weight.length);
        kernels.backwardWeight(gy, x, geo, gw);
        dw = Tensor.fromData(inDType(gw, dtypes.weight), shapes.weight);
      }
    });
    if (needsGrad[2] && shapes.bias && dtypes.bias) {
      db = Tensor.fromData(inDType(channelSums(gy, geo.n, geo.outC, geo.outH * geo.outW), dtypes.bias), shapes.bias);
    }
    return [dx, dw, db];
  },
});
