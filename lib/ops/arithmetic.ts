/**
 * add, sub, mul, div, neg, pow: elementwise with broadcasting. Either operand may be a number.
 * Each backward reduces its gradient back to the operand's shape with sumToShape, and is written in
 * these ops, so it is differentiable again (createGraph); div's divisor gradient and pow's two keep
 * a one-rounding loop for the first-order path.
 */
import { Tensor } from '../tensor';
import { defineOp } from '../define-op';
import { type TensorLike, asTensor, mapBinary, mapUnary } from './elementwise';
import { isGradEnabled } from '../grad-mode';
import { sumToShape } from './views';
import { where } from './where';
import { log } from './unary';

type Pair = { a: Tensor; b: Tensor };
/** Annotated so ops whose backward calls themselves (mul, div, sub, pow) type-check. */
type BinaryOp = (a: TensorLike, b: TensorLike) => Tensor;

function operands(a: TensorLike, b: TensorLike): Pair {
  const dtype = a instanceof Tensor ? a.dtype : b instanceof Tensor ? b.dtype : 'float64';
  return { a: asTensor(a, dtype), b: asTensor(b, dtype) };
}

/** z = a + b;  dz/da = 1, dz/db = 1. */
export const add = defineOp({
  name: 'add',
  forward: (x: TensorLike, y: TensorLike) => {
    const { a, b } = operands(x, y);
    return { output: mapBinary(a, b, (u, v) => u + v, 'add'), saved: { a: a.shape, b: b.shape } };
  },
  backward: (shapes, g) => [sumToShape(g, shapes.a), sumToShape(g, shapes.b)],
});

/** z = a − b;  dz/da = 1, dz/db = −1. */
export const sub: BinaryOp = defineOp({
  name: 'sub',
  forward: (x: TensorLike, y: TensorLike) => {
    const { a, b } = operands(x, y);
    return { output: mapBinary(a, b, (u, v) => u - v, 'sub'), saved: { a: a.shape, b: b.shape } };
  },
  backward: (shapes, g, needs) => [sumToShape(g, shapes.a), needs[1] ? sumToShape(neg(g), shapes.b) : null],
});

/** z = a·b;  dz/da = b, dz/db = a. */
export const mul: BinaryOp = defineOp({
  name: 'mul',
  forward: (x: TensorLike, y: TensorLike) => {
    const pair = operands(x, y);
    return { output: mapBinary(pair.a, pair.b, (u, v) => u * v, 'mul'), saved: pair };
  },
  backward: ({ a, b }, g, needs) => [needs[0] ? sumToShape(mul(g, b), a.shape) : null, needs[1] ? sumToShape(mul(g, a), b.shape) : null],
});

/** z = a / b;  dz/da = 1/b, dz/db = −a/b². */
export const div: BinaryOp = defineOp({
  name: 'div',
  forward: (x: TensorLike, y: TensorLike) => {
    const pair = operands(x, y);
    return { output: mapBinary(pair.a, pair.b, (u, v) => u / v, 'div'), saved: pair };
  },
  backward: ({ a, b }, g, needs) => [
    needs[0] ? sumToShape(div(g, b), a.shape) : null,
    needs[1] ? sumToShape(divisorGradient(g, a, b), b.shape) : null,
  ],
});

/**
 * dz/db·g = −g·a/b², in one rounding for the first-order path (float32 results as before), in ops
 * with createGraph. pow's gradients below are written the same way.
 */
function divisorGradient(g: Tensor, a: Tensor, b: Tensor): Tensor {
  if (isGradEnabled()) return neg(div(mul(g, a), mul(b, b)));
  return mapBinary(mul(g, a), b, (ga, v) => -ga / (v * v), 'div');
}

/** z = −a;  dz/da = −1. */
export const neg: (x: Tensor) => Tensor = defineOp({
  name: 'neg',
  forward: (x: Tensor) => ({ output: mapUnary(x, (v) => -v), saved: null }),
  backward: (_, g) => [neg(g)],
});

/** 1 where t is 0, else 0: a constant mask (its derivative is 0 everywhere it has one). */
function isZero(t: Tensor): Tensor {
  return mapUnary(t, (v) => +(v === 0));
}

/** z = a^b;  dz/da = b·a^(b−1) (0 where b = 0, as PyTorch), dz/db = a^b·ln(a) (0 where a^b = 0). */
export const pow: BinaryOp = defineOp({
  name: 'pow',
  forward: (x: TensorLike, y: TensorLike) => {
    const { a, b } = operands(x, y);
    const output = mapBinary(a, b, Math.pow, 'pow');
    return { output, saved: { a, b, output } };
  },
  backward: ({ a, b, output }, g, needs) => {
    const recording = isGradEnabled();
    const baseSlope = (): Tensor =>
      recording ? where(isZero(b), 0, mul(b, pow(a, sub(b, 1)))) : mapBinary(a, b, (u, v) => (v === 0 ? 0 : v * u ** (v - 1)), 'pow');
    const exponentSlope = (): Tensor =>
      recording ? where(isZero(output), 0, mul(output, log(a))) : mapBinary(output, a, (z, u) => (z === 0 ? 0 : z * Math.log(u)), 'pow');
    return [needs[0] ? sumToShape(mul(g, baseSlope()), a.shape) : null, needs[1] ? sumToShape(mul(g, exponentSlope()), b.shape) : null];
  },
});
