/** relu, leakyRelu, sigmoid, tanh: the elementwise nonlinearities between layers. */
import { Tensor } from '../tensor';
import { defineOp } from '../define-op';
import { mapBinary, mapUnary } from './elementwise';
import { allocate } from '../dtype';
import { formatValue } from '../shape';

/**
 * y = max(x, 0);  dy/dx = 1 for x > 0, else 0 (0 at x = 0, as PyTorch).
 * Written as its own loops rather than through mapUnary: relu runs after every conv, and a loop
 * V8 can specialise is several times faster than one calling a shared callback.
 */
export const relu = defineOp({
  name: 'relu',
  forward: (x: Tensor) => {
    const src = x.contiguousData();
    const out = allocate(x.dtype, src.length);
    // (v + |v|)/2 is max(v, 0) without a branch: half of all activations are negative, and a
    // mispredicted branch per element costs ~5× this whole loop. NaN still propagates.
    for (let i = 0; i < src.length; i++) {
      const v = src[i];
      out[i] = (v + Math.abs(v)) * 0.5;
    }
    const output = Tensor.fromData(out, x.shape);
    return { output, saved: output };
  },
  backward: (y, g) => {
    // y > 0 exactly where x > 0, so the output serves as the mask and x need not be kept.
    const mask = y.contiguousData();
    const grad = g.contiguousData();
    const out = allocate(g.dtype, grad.length);
    for (let i = 0; i < grad.length; i++) out[i] = grad[i] * +(mask[i] > 0); // branchless, as above
    return [Tensor.fromData(out, g.shape)];
  },
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
  backward: ({ x, negativeSlope }, g) => [mapBinary(g, x, (gv, xv) => (xv > 0 ? gv : gv * negativeSlope), 'leakyRelu')],
});

/** y = 1/(1 + e^−x);  dy/dx = y(1 − y). */
export const sigmoid = defineOp({
  name: 'sigmoid',
  forward: (x: Tensor) => {
    // For x ≪ 0, e^−x overflows to Infinity and 1/(1 + Infinity) is exactly 0: no NaN to guard.
    const y = mapUnary(x, (v) => 1 / (1 + Math.exp(-v)));
    return { output: y, saved: y };
  },
  backward: (y, g) => [mapBinary(g, y, (gv, yv) => gv * yv * (1 - yv), 'sigmoid')],
});

/** y = tanh(x);  dy/dx = 1 − y². */
export const tanh = defineOp({
  name: 'tanh',
  forward: (x: Tensor) => {
    const y = mapUnary(x, Math.tanh);
    return { output: y, saved: y };
  },
  backward: (y, g) => [mapBinary(g, y, (gv, yv) => gv * (1 - yv * yv), 'tanh')],
});
