/** Activation layers: thin Module wrappers so activations can sit in a Sequential. */
import type { Tensor } from '../lib/tensor';
import { checkNegativeSlope, leakyRelu, relu, sigmoid, tanh } from '../lib/ops/activations';
import { Module } from './module';

export class ReLU extends Module {
  override forward(x: Tensor): Tensor {
    return relu(x);
  }
}

export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
    checkNegativeSlope(negativeSlope, 'LeakyReLU');
  }

  override forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }

  protected override describe(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }
}

export class Sigmoid extends Module {
  override forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

export class Tanh extends Module {
  override forward(x: Tensor): Tensor {
    return tanh(x);
  }
}
