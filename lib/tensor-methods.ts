/**
 * Method forms of the ops (`x.add(y)`, `x.sum(1)`, `loss.backward()`), attached to Tensor's
 * prototype here so that tensor.ts stays free of import cycles. Importing the package root
 * installs them. Each method is the function of the same name with the tensor as first argument.
 */
import { Tensor } from './tensor';
import { BackwardOptions, runBackward } from './autograd';
import { TensorLike } from './ops/elementwise';
import { add, div, mul, neg, pow, sub } from './ops/arithmetic';
import { abs, clamp, ClampBounds, exp, log, sqrt } from './ops/unary';
import { leakyRelu, relu, sigmoid, tanh } from './ops/activations';
import { Dims, max, mean, min, sum, variance, VarOptions } from './ops/reductions';
import { logSoftmax, softmax } from './ops/softmax';
import { matmul } from './ops/matmul';
import { contiguous, expand, flatten, permute, reshape, squeeze, transpose, unsqueeze, view } from './ops/views';
import { Shape } from './shape';

declare module './tensor' {
  interface Tensor {
    /** Gradients of this tensor (a scalar, or with gradOutput) w.r.t. every leaf requiring grad. */
    backward(gradOutput?: Tensor, options?: BackwardOptions): void;
    add(other: TensorLike): Tensor;
    sub(other: TensorLike): Tensor;
    mul(other: TensorLike): Tensor;
    div(other: TensorLike): Tensor;
    pow(exponent: TensorLike): Tensor;
    neg(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    sqrt(): Tensor;
    abs(): Tensor;
    clamp(bounds: ClampBounds): Tensor;
    relu(): Tensor;
    leakyRelu(negativeSlope?: number): Tensor;
    sigmoid(): Tensor;
    tanh(): Tensor;
    sum(dim?: Dims, keepdim?: boolean): Tensor;
    mean(dim?: Dims, keepdim?: boolean): Tensor;
    max(dim?: Dims, keepdim?: boolean): Tensor;
    min(dim?: Dims, keepdim?: boolean): Tensor;
    var(dim?: Dims, options?: VarOptions): Tensor;
    softmax(dim: number): Tensor;
    logSoftmax(dim: number): Tensor;
    matmul(other: Tensor): Tensor;
    reshape(shape: Shape): Tensor;
    view(shape: Shape): Tensor;
    flatten(startDim?: number, endDim?: number): Tensor;
    squeeze(dim?: number | readonly number[]): Tensor;
    unsqueeze(dim: number): Tensor;
    transpose(dim0: number, dim1: number): Tensor;
    permute(dims: readonly number[]): Tensor;
    expand(shape: Shape): Tensor;
    contiguous(): Tensor;
  }
}

type Method = (this: Tensor, ...args: never[]) => unknown;

/** Makes `x.name(...args)` call `fn(x, ...args)`. */
function asMethod<Args extends unknown[]>(fn: (x: Tensor, ...args: Args) => Tensor): Method {
  return function (this: Tensor, ...args: Args) {
    return fn(this, ...args);
  } as unknown as Method;
}

const methods: Record<string, Method> = {
  backward: function (this: Tensor, gradOutput?: Tensor, options?: BackwardOptions) {
    runBackward(this, gradOutput, options);
  } as Method,
  add: asMethod(add),
  sub: asMethod(sub),
  mul: asMethod(mul),
  div: asMethod(div),
  pow: asMethod(pow),
  neg: asMethod(neg),
  exp: asMethod(exp),
  log: asMethod(log),
  sqrt: asMethod(sqrt),
  abs: asMethod(abs),
  clamp: asMethod(clamp),
  relu: asMethod(relu),
  leakyRelu: asMethod(leakyRelu),
  sigmoid: asMethod(sigmoid),
  tanh: asMethod(tanh),
  sum: asMethod(sum),
  mean: asMethod(mean),
  max: asMethod(max),
  min: asMethod(min),
  var: asMethod(variance),
  softmax: asMethod(softmax),
  logSoftmax: asMethod(logSoftmax),
  matmul: asMethod(matmul),
  reshape: asMethod(reshape),
  view: asMethod(view),
  flatten: asMethod(flatten),
  squeeze: asMethod(squeeze),
  unsqueeze: asMethod(unsqueeze),
  transpose: asMethod(transpose),
  permute: asMethod(permute),
  expand: asMethod(expand),
  contiguous: asMethod(contiguous),
};

Object.assign(Tensor.prototype, methods);
