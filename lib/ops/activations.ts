/** relu, leakyRelu, sigmoid, tanh: the elementwise nonlinearities between layers. */
import { Tensor } from '../tensor';
import { defineOp } from '../define-op';
import { mapBinary, mapUnary } from './elementwise';

/** y = max(x, 0);  dy/dx = 1 for x > 0, else 0 (0 at x = 0, as PyTorch). */
export const relu = defineOp({
  name: 'relu',
  forward: (x: Tensor) => ({ output: mapUnary(x, (v) => Math.max(v, 0)), saved: x }),
  backward: (x, g) => [mapBinary(g, x, (gv, xv) => (xv > 0 ? gv : 0), 'relu')],
});

/** y = x for x > 0, else s·x;  dy/dx = 1 for x > 0, else s (s at x = 0, as PyTorch). */
export const leakyRelu = defineOp({
  name: 'leakyRelu',
  forward: (x: Tensor, negativeSlope: number = 0.01) => {
    if (!Number.isFinite(negativeSlope)) throw new RangeError(`leakyRelu: negativeSlope must be a finite number, got ${negativeSlope}`);
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
