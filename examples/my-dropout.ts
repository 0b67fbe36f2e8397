// Inverted dropout written from scratch with defineOp: the op docs/walkthrough.md builds, checks,
// breaks and trains. The library's own is nn/drop/dropout.ts.
import { type Generator, Tensor, defineOp, mul, nn, rand } from '../index';

/**
 * The keep mask, already scaled: M/(1 − p) with M ~ Bernoulli(1 − p). One uniform draw per
 * element, `u < p` drops it: the same draws in the same order as F.dropout.
 */
export function keepMask(x: Tensor, p: number, generator: Generator): Tensor {
  const uniform = rand(x.shape, { generator, dtype: x.dtype }).data;
  const mask = uniform.map((u) => (u < p ? 0 : 1 / (1 - p)));
  return Tensor.fromData(mask, x.shape);
}

/**
 * y = x ⊙ m;  dX = dY ⊙ m.  The mask is an argument, drawn outside the op: forward and backward
 * then see the same mask, and a gradient check can hand it the same mask on every evaluation.
 */
export const myDropoutOp = defineOp({
  name: 'myDropout',
  forward: (x: Tensor, mask: Tensor) => ({ output: mul(x, mask), saved: mask }),
  // One gradient per forward argument: x gets dY ⊙ m, the mask (not learned) gets none.
  backward: (mask, gradOutput) => [mul(gradOutput, mask), null],
});

/** The layer: the op with a fresh mask in training, the identity in eval. */
export class MyDropout extends nn.Module {
  constructor(
    readonly p: number,
    readonly generator: Generator,
  ) {
    super();
  }

  override forward(x: Tensor): Tensor {
    return this.training ? myDropoutOp(x, keepMask(x, this.p, this.generator)) : x;
  }
}
