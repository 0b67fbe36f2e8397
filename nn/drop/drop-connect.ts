/**
 * DropConnect (Wan, Zeiler, Zhang, LeCun & Fergus 2013, "Regularization of Neural Networks using
 * DropConnect"): drop *weights* instead of activations. Each training forward draws one Bernoulli
 * mask over the weight matrix, shared by the batch (the paper draws one per example; one per
 * batch is the common, much cheaper variant), with inverted scaling:
 *
 *   forward:  W' = W ⊙ M / (1 − p),  y = x·W'ᵀ + b,   M ~ Bernoulli(1 − p) per weight
 *   backward: dX = dY·(W ⊙ M)/(1 − p),   dW = (dYᵀ·X) ⊙ M / (1 − p),   db = Σ_rows dY
 *
 * One fused op: y = x·W'ᵀ + b gives dX = dY·W' and dW' = dYᵀ·X (rows of x and dY stacked),
 * and W' = W ⊙ m (m = M/(1 − p), drawn) gives dW = dW' ⊙ m.
 *
 * Inference: the paper approximates the average over masks by moment-matching a Gaussian per
 * unit and sampling; we use the mean network instead — with inverted scaling E[W'] = W, so eval
 * is the plain linear layer. It is deterministic, costs nothing, and is what most
 * implementations do; the paper reports it slightly behind its sampling scheme.
 */
import type { Tensor } from '../../lib/tensor';
import { defineOp } from '../../lib/define-op';
import { linear } from '../../lib/ops/linear';
import { matmul } from '../../lib/ops/matmul';
import { reshape, transpose } from '../../lib/ops/views';
import { sum } from '../../lib/ops/reductions';
import { formatShape, sameShape } from '../../base/shape';
import { checkProbability, optionKeys } from '../../lib/validate';
import { generatorOf } from '../../lib/random/generator';
import { Linear } from '../linear';
import type { LayerOptions } from '../layer-options';
import { checkLayerOptions, type DropLayerOptions } from './noise-layer';
import { bernoulliKeepMask } from './dropout';
import { multiplyByMask } from './mask-product';

/** y = x·(W ⊙ m)ᵀ + b for a drawn scaled weight mask m = M/(1 − p). */
export const dropConnectOp = defineOp({
  name: 'dropConnect',
  forward: (x: Tensor, weight: Tensor, bias: Tensor | null, mask: Tensor) => {
    if (!sameShape(mask.shape, weight.shape)) {
      throw new RangeError(
        `dropConnect: mask of shape ${formatShape(mask.shape)} must match the weight's shape ${formatShape(weight.shape)}`,
      );
    }
    const maskedWeight = multiplyByMask('dropConnect', weight, mask);
    return { output: linear(x, maskedWeight, bias ?? undefined), saved: { x, weight, mask } };
  },
  backward: ({ x, weight, mask }, gradOutput, needs) => {
    const [outFeatures, inFeatures] = weight.shape;
    const gradRows = reshape(gradOutput, [-1, outFeatures]);
    return [
      // W' is made again from the saved weight, so that with createGraph dX = dY·W' depends on W.
      needs[0] ? matmul(gradOutput, multiplyByMask('dropConnect', weight, mask)) : null, // dX = dY·W'
      needs[1] ? multiplyByMask('dropConnect', matmul(transpose(gradRows, 0, 1), reshape(x, [-1, inFeatures])), mask) : null, // dW = (dYᵀX) ⊙ m
      needs[2] ? sum(gradRows, 0) : null, // db = Σ_rows dY
      null,
    ];
  },
});

export interface DropConnectLinearOptions extends DropLayerOptions, LayerOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
}
const dropConnectLinearOptionKeys = optionKeys<DropConnectLinearOptions>({ generator: true, dtype: true, bias: true });

export class DropConnectLinear extends Linear {
  /** The scaled weight mask M/(1 − p) of the last training forward. */
  lastMask: Tensor | null = null;

  constructor(
    inFeatures: number,
    outFeatures: number,
    readonly p = 0.5,
    readonly dropOptions: DropConnectLinearOptions = {},
  ) {
    checkLayerOptions('DropConnectLinear', dropOptions, dropConnectLinearOptionKeys);
    super(inFeatures, outFeatures, dropOptions);
    checkProbability('DropConnectLinear', 'p', p);
  }

  override forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return super.forward(x);
    this.lastMask = bernoulliKeepMask(
      this.weight.shape,
      this.p,
      this.weight.dtype,
      generatorOf('DropConnectLinear', this.dropOptions.generator),
    );
    return dropConnectOp(x, this.weight, this.bias, this.lastMask);
  }

  protected override describe(): string {
    return `${super.describe()}, p=${this.p}`;
  }
}
