/**
 * The one backward every multiplicative-noise technique shares. Dropout, Dropout2d, Gaussian
 * dropout, Uout, DropBlock and DropPath all compute y = x ⊙ m for a random tensor m that does not
 * depend on x (m already holds the technique's scaling, e.g. M/(1−p)); so
 *
 *   dL/dx = dL/dy ⊙ m        (m broadcast to x's shape, e.g. [N,C,1,1] for Dropout2d)
 *
 * What differs between techniques — and lives in each technique's file — is how m is drawn.
 */
import { Tensor } from '../../lib/tensor';
import { defineOp } from '../../lib/define-op';
import { mapBinary } from '../../lib/ops/elementwise';
import { formatShape, sameShape, broadcastShapes } from '../../lib/shape';

export const maskedScale = defineOp({
  name: 'maskedScale',
  forward: (x: Tensor, mask: Tensor) => {
    if (!sameShape(broadcastShapes(x.shape, mask.shape, 'maskedScale'), x.shape)) {
      throw new RangeError(`maskedScale: mask of shape ${formatShape(mask.shape)} does not broadcast to the input's shape ${formatShape(x.shape)}`);
    }
    return { output: mapBinary(x, mask, (v, m) => v * m, 'maskedScale'), saved: mask };
  },
  backward: (mask, gradOutput) => [mapBinary(gradOutput, mask, (g, m) => g * m, 'maskedScale'), null],
});
