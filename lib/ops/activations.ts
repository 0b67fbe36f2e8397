/**
 * relu, leakyRelu, sigmoid, tanh: the elementwise nonlinearities between layers. Their backwards
 * are differentiable ops (relu's is an op of its own, for speed), so createGraph reaches through.
 */
import { Tensor } from '../tensor';
import { defineOp } from '../define-op';
import { mapBinary, mapUnary } from './elementwise';
import { mul, sub } from './arithmetic';
import { where } from './where';
import { allocateUnfilled } from '../../base/dtype';
import { reluKernels } from '../../kernels/relu';
import { formatValue } from '../../base/shape';

/**
 * y = max(x, 0);  dy/dx = 1 for x > 0, else 0 (0 at x = 0, as PyTorch).
 *
 * relu runs after every conv, over every activation, forward and backward, so both directions
 * are kernels of the backend (kernels/relu/: wasm SIMD split over the threads, else branchless js
 * loops) rather than mapUnary/mapBinary. Both read the flat row-major array (`values()` is the
 * tensor's own storage when it is contiguous, a copy of a strided or broadcast view).
 */
export const relu = defineOp({
  name: 'relu',
  forward: (x: Tensor) => {
    const src = x.values();
    const out = allocateUnfilled(x.dtype, src.length);
    reluKernels().forward(src, out);
    const output = Tensor.fromData(out, x.shape);
    return { output, saved: output };
  },
  // y > 0 exactly where x > 0, so the output serves as the mask and x need not be kept.
  backward: (y, g) => [reluBackward(g, y)],
});

/**
 * relu's backward, dx = y > 0 ? g : 0 (an infinite or NaN g where y ≤ 0 gives 0, as PyTorch's
 * threshold_backward), as an op of its own so its fast loop serves the first-order path and
 * createGraph alike. It is linear in g and piecewise
 * constant in y:  d/dg = reluBackward(dY, y),  d/dy = 0.
 */
const reluBackward: (g: Tensor, y: Tensor) => Tensor = defineOp({
  name: 'reluBackward',
  forward: (g: Tensor, y: Tensor) => {
    const grad = g.values();
    const out = allocateUnfilled(g.dtype, grad.length);
    reluKernels().backward(grad, y.values(), out);
    return { output: Tensor.fromData(out, g.shape), saved: y };
  },
  backward: (y, gg, needs) => [needs[0] ? reluBackward(gg, y) : null, null],
});

/** leakyRelu's slope rule; nn.LeakyReLU applies it at construction. */
export function checkNegativeSlope(negativeSlope: number, where = 'leakyRelu'): number {
  if (typeof negativeSlope !== 'number' || !Number.isFinite(negativeSlope)) {
    throw new RangeError(`${where}: negativeSlope must be a finite number, got ${formatValue(negativeSlope)}`);
  }
  return negativeSlope;
}

/** y = x for x > 0, else s·x;  dy/dx = 1 for x > 0, else s (s at x = 0, as PyTorch). */
export const leakyRelu = defineOp({
  name: 'leakyRelu',
  forward: (x: Tensor, negativeSlope: number = 0.01) => {
    checkNegativeSlope(negativeSlope);
    return { output: mapUnary(x, (v) => (v > 0 ? v : v * negativeSlope)), saved: { x, negativeSlope } };
  },
  backward: ({ x, negativeSlope }, g) => [
    where(
      mapUnary(x, (v) => +(v > 0)),
      g,
      mul(g, negativeSlope),
    ),
  ],
});

/** y = 1/(1 + e^−x);  dy/dx = y(1 − y). */
export const sigmoid = defineOp({
  name: 'sigmoid',
  forward: (x: Tensor) => {
    // For x ≪ 0, e^−x overflows to Infinity and 1/(1 + Infinity) is exactly 0: no NaN to guard.
    const y = mapUnary(x, (v) => 1 / (1 + Math.exp(-v)));
    return { output: y, saved: y };
  },
  backward: (y, g) => [sigmoidBackward(g, y)],
});

/** y = tanh(x);  dy/dx = 1 − y². */
export const tanh = defineOp({
  name: 'tanh',
  forward: (x: Tensor) => {
    const y = mapUnary(x, Math.tanh);
    return { output: y, saved: y };
  },
  backward: (y, g) => [tanhBackward(g, y)],
});

/**
 * An elementwise backward dx = g ⊙ f'(y) as an op of its own (PyTorch's sigmoid_backward and
 * tanh_backward): one loop, rounded once, for the first-order path, and differentiable again:
 *   dG = dY ⊙ f'(y)  (itself),   dy = dY ⊙ g ⊙ f''(y) written in ops.
 */
function derivativeFromOutput(
  name: string,
  gradient: (g: number, y: number) => number,
  curvature: (g: Tensor, y: Tensor) => Tensor,
): (g: Tensor, y: Tensor) => Tensor {
  const op: (g: Tensor, y: Tensor) => Tensor = defineOp({
    name,
    forward: (g: Tensor, y: Tensor) => ({ output: mapBinary(g, y, gradient, name), saved: { g, y } }),
    backward: ({ g, y }, gg, needs) => [needs[0] ? op(gg, y) : null, needs[1] ? mul(gg, curvature(g, y)) : null],
  });
  return op;
}

/** sigmoid: dy/dx = y(1 − y), whose derivative in y is 1 − 2y. */
const sigmoidBackward = derivativeFromOutput(
  'sigmoidBackward',
  (g, y) => g * y * (1 - y),
  (g, y) => mul(g, sub(1, mul(y, 2))),
);

/** tanh: dy/dx = 1 − y², whose derivative in y is −2y. */
const tanhBackward = derivativeFromOutput(
  'tanhBackward',
  (g, y) => g * (1 - y * y),
  (g, y) => mul(g, mul(y, -2)),
);
