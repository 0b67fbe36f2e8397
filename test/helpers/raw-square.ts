import { Tensor, defineOp, mul } from '../../index';

/** x², with a backward written on raw arrays: right at first order, but its gradient has no graph. */
export const rawSquare = defineOp({
  name: 'rawSquare',
  forward: (x: Tensor) => ({ output: mul(x, x), saved: x }),
  backward: (x, g) => {
    const xs = x.contiguousData();
    const gs = g.contiguousData();
    return [
      Tensor.fromData(
        Float64Array.from(xs, (v, i) => 2 * v * gs[i]),
        x.shape,
      ),
    ];
  },
});
