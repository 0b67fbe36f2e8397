/**
 * exp, log, sqrt, abs, clamp: elementwise functions of one tensor. Each backward multiplies the
 * incoming gradient by the local derivative, read from whichever of x or y makes it cheapest, in
 * differentiable ops (a saved x or y is the graph's own tensor, so createGraph reaches through it).
 */
import { Tensor } from '../tensor';
import { defineOp } from '../define-op';
import { mapUnary } from './elementwise';
import { div, mul } from './arithmetic';
import { where } from './where';
import { formatValue } from '../../base/shape';
import { checkOptions, optionKeys } from '../validate';

/** y = exp(x);  dy/dx = y. */
export const exp = defineOp({
  name: 'exp',
  forward: (x: Tensor) => {
    const y = mapUnary(x, Math.exp);
    return { output: y, saved: y };
  },
  backward: (y, g) => [mul(g, y)],
});

/** y = ln(x);  dy/dx = 1/x. */
export const log = defineOp({
  name: 'log',
  forward: (x: Tensor) => ({ output: mapUnary(x, Math.log), saved: x }),
  backward: (x, g) => [div(g, x)],
});

/** y = √x;  dy/dx = 1/(2y). */
export const sqrt = defineOp({
  name: 'sqrt',
  forward: (x: Tensor) => {
    const y = mapUnary(x, Math.sqrt);
    return { output: y, saved: y };
  },
  backward: (y, g) => [div(g, mul(y, 2))],
});

/** y = |x|;  dy/dx = sign(x), with the subgradient 0 at x = 0 (as PyTorch); sign is a constant (d sign/dx = 0). */
export const abs = defineOp({
  name: 'abs',
  forward: (x: Tensor) => ({ output: mapUnary(x, Math.abs), saved: x }),
  backward: (x, g) => [mul(g, mapUnary(x, Math.sign))],
});

export interface ClampBounds {
  min?: number;
  max?: number;
}
const clampBoundKeys = optionKeys<ClampBounds>({ min: true, max: true });

/**
 * y = min(max(x, lo), hi);  dy/dx = 1 where lo ≤ x ≤ hi, else 0. The boundary counts as inside,
 * as in PyTorch, so a value sitting exactly on a bound still passes its gradient.
 */
export const clamp = defineOp({
  name: 'clamp',
  forward: (x: Tensor, bounds: ClampBounds) => {
    checkOptions('clamp', bounds, clampBoundKeys, 'an object { min, max }');
    const { min = -Infinity, max = Infinity } = bounds;
    if (bounds.min === undefined && bounds.max === undefined) {
      throw new TypeError('clamp: at least one of bounds.min and bounds.max must be given');
    }
    for (const [name, value] of [
      ['min', min],
      ['max', max],
    ] as const) {
      // Math.min/max would silently make a Tensor bound NaN everywhere (and coerce a string).
      if (typeof value !== 'number')
        throw new TypeError(
          `clamp: bounds.${name} must be a number, got ${(value as unknown) instanceof Tensor ? 'a Tensor' : formatValue(value)}`,
        );
    }
    return { output: mapUnary(x, (v) => Math.min(Math.max(v, min), max)), saved: { x, min, max } };
  },
  backward: ({ x, min, max }, g) => [
    where(
      mapUnary(x, (v) => +(v >= min && v <= max)),
      g,
      0,
    ),
  ],
});
