/**
 * DropConnect (Wan, Zeiler, Zhang, LeCun & Fergus 2013, "Regularization of Neural Networks using
 * DropConnect"): drop *weights* instead of activations. Each training forward draws one Bernoulli
 * mask over the weight matrix, shared by the batch (the paper draws one per example; one per
 * batch is the common, much cheaper variant), with inverted scaling:
 *
 *   forward:  W' = W ⊙ M / (1 − p),  y = x·W'ᵀ + b,   M ~ Bernoulli(1 − p) per weight
 *   backward: dX = dY·W',   dW = (dYᵀ·X) ⊙ M / (1 − p),   db = Σ dY
 *
 * (dW follows from the chain rule through W' = W ⊙ m: the mask's backward, dW = dW' ⊙ m.)
 *
 * Inference: the paper approximates the average over masks by moment-matching a Gaussian per
 * unit and sampling; we use the mean network instead — with inverted scaling E[W'] = W, so eval
 * is the plain linear layer. It is deterministic, costs nothing, and is what most
 * implementations do; the paper reports it slightly behind its sampling scheme.
 */
import { Tensor } from '../../lib/tensor';
import { linear } from '../../lib/ops/linear';
import { Linear } from '../linear';
import { LayerOptions } from '../layer-options';
import { maskedScale } from './masked-scale';
import { DropOptions } from './noise-layer';
import { bernoulliKeepMask } from './dropout';
import { checkProbability } from './validate';

export class DropConnectLinear extends Linear {
  /** The scaled weight mask M/(1 − p) of the last training forward. */
  lastMask: Tensor | null = null;

  constructor(
    inFeatures: number,
    outFeatures: number,
    readonly p = 0.5,
    readonly dropOptions: DropOptions & LayerOptions & { bias?: boolean } = {},
  ) {
    super(inFeatures, outFeatures, dropOptions);
    checkProbability('DropConnectLinear', 'p', p);
  }

  override forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return super.forward(x);
    this.lastMask = bernoulliKeepMask(this.weight.shape, this.p, this.weight.dtype, this.dropOptions.generator);
    return linear(x, maskedScale(this.weight, this.lastMask), this.bias ?? undefined);
  }

  protected override describe(): string {
    return `${super.describe()}, p=${this.p}`;
  }
}
