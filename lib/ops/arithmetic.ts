/**
 * add, sub, mul, div, neg, pow: elementwise with broadcasting. Either operand may be a number.
 * Each backward reduces its gradient back to the operand's shape with sumToShape.
 */
import { Tensor } from '../tensor';
import { defineOp } from '../define-op';
import { type TensorLike, asTensor, mapBinary, mapUnary, sumToShape } from './elementwise';

type Pair = { a: Tensor; b: Tensor };
/** Annotated so ops whose backward calls themselves (mul, div) type-check. */
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
export const sub = defineOp({
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
    needs[1]
      ? sumToShape(
          mapBinary(mul(g, a), b, (ga, v) => -ga / (v * v), 'div'),
          b.shape,
        )
      : null,
  ],
});

/** z = −a;  dz/da = −1. */
export const neg = defineOp({
  name: 'neg',
  forward: (x: Tensor) => ({ output: mapUnary(x, (v) => -v), saved: null }),
  backward: (_, g) => [mapUnary(g, (v) => -v)],
});

/** z = a^b;  dz/da = b·a^(b−1), dz/db = a^b·ln(a). */
export const pow = defineOp({
  name: 'pow',
  forward: (x: TensorLike, y: TensorLike) => {
    const { a, b } = operands(x, y);
    const output = mapBinary(a, b, Math.pow, 'pow');
    return { output, saved: { a, b, output } };
  },
  backward: ({ a, b, output }, g, needs) => [
    needs[0]
      ? sumToShape(
          mul(
            g,
            mapBinary(a, b, (u, v) => (v === 0 ? 0 : v * u ** (v - 1)), 'pow'),
          ),
          a.shape,
        )
      : null,
    needs[1]
      ? sumToShape(
          mul(
            g,
            mapBinary(output, a, (z, u) => (z === 0 ? 0 : z * Math.log(u)), 'pow'),
          ),
          b.shape,
        )
      : null,
  ],
});
