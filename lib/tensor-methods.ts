/**
 * Method forms of the ops (`x.add(y)`, `loss.backward()`), attached to Tensor's prototype here so
 * that tensor.ts stays free of import cycles. Importing the package root installs them.
 */
import { Tensor } from './tensor';
import { BackwardOptions, runBackward } from './autograd';
import { TensorLike } from './ops/elementwise';
import { add, div, mul, neg, pow, sub } from './ops/arithmetic';

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
  }
}

const methods: Partial<Tensor> & ThisType<Tensor> = {
  backward(gradOutput?: Tensor, options?: BackwardOptions) {
    runBackward(this, gradOutput, options);
  },
  add(other: TensorLike) {
    return add(this, other);
  },
  sub(other: TensorLike) {
    return sub(this, other);
  },
  mul(other: TensorLike) {
    return mul(this, other);
  },
  div(other: TensorLike) {
    return div(this, other);
  },
  pow(exponent: TensorLike) {
    return pow(this, exponent);
  },
  neg() {
    return neg(this);
  },
};

Object.assign(Tensor.prototype, methods);
