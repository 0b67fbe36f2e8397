/**
 * The elementwise step most drop techniques share: x ⊙ mask, with the mask broadcast to x's shape
 * (a [N,C,1,1] channel mask over a feature map, an [N,1,…,1] sample mask over a branch). Each
 * technique wraps it in its own op, with its own name and backward; it is an op itself so that a
 * backward dX = dY ⊙ M written with it records a graph under createGraph:
 *
 *   forward:  y = x ⊙ m
 *   backward: dX = dY ⊙ m   (itself a mask product, so differentiable to any order; the mask is
 *                            drawn, not a function of anything, and gets no gradient)
 *
 * It is the mask kernel's product (kernels/mask) rather than mul's general broadcast: a mask that is
 * x's leading dims followed by ones (every mask above, and a full one) is constant over runs of x,
 * and this is a step's largest elementwise work when a technique sits on the conv maps. Other shapes
 * use mul. The product is rounded as mul's is, so the two give the same numbers.
 */
import { Tensor } from '../../lib/tensor';
import { defineOp } from '../../lib/define-op';
import { mul } from '../../lib/ops/arithmetic';
import { allocateUnfilled, promote } from '../../base/dtype';
import { maskKernels } from '../../kernels/mask';
import { type Shape, broadcastShapes, formatShape, sameShape, sizeOf } from '../../base/shape';

/**
 * How many consecutive elements of x share one mask value when the mask's shape is x's first dims
 * and then ones (rank-aligned from the right, as broadcasting is); 0 when it is any other shape.
 */
function constantRun(xShape: Shape, maskShape: Shape): number {
  const rank = xShape.length;
  const aligned = [...new Array<number>(rank - maskShape.length).fill(1), ...maskShape];
  let split = rank;
  while (split > 0 && aligned[split - 1] === 1) split--;
  for (let d = 0; d < split; d++) if (aligned[d] !== xShape[d]) return 0;
  return sizeOf(xShape.slice(split));
}

function multiplyRuns(x: Tensor, mask: Tensor, run: number): Tensor {
  const out = allocateUnfilled(promote(x.dtype, mask.dtype), x.numel);
  maskKernels().product(x.values(), mask.values(), run, out);
  return Tensor.fromData(out, x.shape);
}

const maskProduct: (x: Tensor, mask: Tensor) => Tensor = defineOp({
  name: 'maskProduct',
  forward: (x: Tensor, mask: Tensor) => {
    const run = constantRun(x.shape, mask.shape);
    return { output: run > 0 ? multiplyRuns(x, mask, run) : mul(x, mask), saved: mask };
  },
  backward: (mask, gradOutput) => [maskProduct(gradOutput, mask), null],
});

export function multiplyByMask(technique: string, x: Tensor, mask: Tensor): Tensor {
  if (!sameShape(broadcastShapes(x.shape, mask.shape, technique), x.shape)) {
    throw new RangeError(
      `${technique}: mask of shape ${formatShape(mask.shape)} does not broadcast to the input's shape ${formatShape(x.shape)}`,
    );
  }
  return maskProduct(x, mask);
}
