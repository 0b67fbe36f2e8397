/**
 * The elementwise step most drop techniques share: x ⊙ mask, with the mask broadcast to x's shape
 * (a [N,C,1,1] channel mask over a feature map, an [N,1,…,1] sample mask over a branch). It is a
 * plain function, not an op: each technique wraps it in its own op, with its own name and backward.
 * The product is mul, so a backward dX = dY ⊙ M written with it is differentiable again (createGraph).
 */
import type { Tensor } from '../../lib/tensor';
import { mul } from '../../lib/ops/arithmetic';
import { broadcastShapes, formatShape, sameShape } from '../../base/shape';

export function multiplyByMask(technique: string, x: Tensor, mask: Tensor): Tensor {
  if (!sameShape(broadcastShapes(x.shape, mask.shape, technique), x.shape)) {
    throw new RangeError(
      `${technique}: mask of shape ${formatShape(mask.shape)} does not broadcast to the input's shape ${formatShape(x.shape)}`,
    );
  }
  return mul(x, mask);
}
