/**
 * What conv2d and convTranspose2d share: operands read in the input's dtype, what their forward
 * saves, and the first-order backward on the kernels (raw arrays), the bias gradient a
 * per-channel sum of the output gradient (the batch-norm kernels' channel sums). With createGraph
 * each op builds its gradients from the conv ops instead, so that they can be differentiated again.
 */
import { Tensor } from '../tensor';
import { type DType, type TypedArray, allocate, allocateUnfilled, dtypeOf } from '../../base/dtype';
import type { Conv2dGeometry } from '../../kernels/conv2d';
import { reusingOperands } from '../../kernels/operand-reuse';
import { batchNormKernels } from '../../kernels/batchnorm';

/** `data` in `dtype`: the array itself when it already is, else a converted copy. */
export function inDType(data: TypedArray, dtype: DType): TypedArray {
  if (dtypeOf(data) === dtype) return data;
  const converted = allocate(dtype, data.length);
  converted.set(data);
  return converted;
}

/** db[c] = Σ_{n,i,j} dY[n,c,i,j] for dY of shape [n, channels, plane], summed in float64 (batch norm's plain channel sums). */
function channelSums(gradOutput: TypedArray, n: number, channels: number, plane: number): Float64Array {
  const db = new Float64Array(channels);
  batchNormKernels().channelSums(gradOutput, { batch: n, channels, spatial: plane }, db);
  return db;
}

/** convolution and transposedConvolution: a conv of a resolved geometry (typed here: each calls the other in backward). */
export type ConvOp = (x: Tensor, weight: Tensor, bias: Tensor | null, geo: Conv2dGeometry) => Tensor;

/**
 * What a conv op's forward saves: x and weight as tensors (createGraph differentiates through
 * them) and as arrays in x's dtype; of the bias only its shape and dtype, as PyTorch, so changing
 * it in place before backward is no error.
 */
export interface ConvSaved {
  x: Tensor;
  weight: Tensor;
  bias: { shape: number[]; dtype: DType } | null;
  xData: TypedArray;
  weightData: TypedArray;
  geo: Conv2dGeometry;
}

export function convSaved(x: Tensor, weight: Tensor, bias: Tensor | null, geo: Conv2dGeometry): ConvSaved {
  return {
    x,
    weight,
    bias: bias && { shape: bias.shape, dtype: bias.dtype },
    xData: x.values(),
    weightData: inDType(weight.values(), x.dtype),
    geo,
  };
}

/** One conv op's first-order gradients on the kernels. */
export interface ConvKernelGradients {
  /** Fills gx (x-shaped, x's dtype) from gy. */
  input(gy: TypedArray, saved: ConvSaved, gx: TypedArray): void;
  /** Fills gw (weight-shaped, x's dtype) from gy. */
  weight(gy: TypedArray, saved: ConvSaved, gw: TypedArray): void;
  /** gy's layout [n, channels, plane], for the bias gradient. */
  outputLayout: [n: number, channels: number, plane: number];
}

/**
 * The first-order gradients `needsGrad` asks for, on raw arrays: gy is read in x's dtype, the
 * weight and bias gradients come back in their own. Only what is asked is computed: a first
 * layer's input gradient is a whole convolution nobody reads.
 */
export function kernelGradients(
  saved: ConvSaved,
  gradOutput: Tensor,
  needsGrad: readonly boolean[],
  kernels: ConvKernelGradients,
): Array<Tensor | null> {
  const { x, weight, bias, xData, weightData } = saved;
  const gy = inDType(gradOutput.values(), x.dtype);
  let dx: Tensor | null = null;
  let dw: Tensor | null = null;
  // Both passes read gy, unchanged in between: the wasm kernels copy it in once.
  reusingOperands(() => {
    if (needsGrad[0]) {
      const gx = allocateUnfilled(x.dtype, xData.length);
      kernels.input(gy, saved, gx);
      dx = Tensor.fromData(gx, x.shape);
    }
    if (needsGrad[1]) {
      const gw = allocateUnfilled(x.dtype, weightData.length);
      kernels.weight(gy, saved, gw);
      dw = Tensor.fromData(inDType(gw, weight.dtype), weight.shape);
    }
  });
  const db = needsGrad[2] && bias ? Tensor.fromData(inDType(channelSums(gy, ...kernels.outputLayout), bias.dtype), bias.shape) : null;
  return [dx, dw, db];
}
