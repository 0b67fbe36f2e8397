/**
 * Spatial dropout / Dropout2d (Tompson et al. 2015): drops whole feature maps. Neighbouring
 * activations in a conv map are strongly correlated, so elementwise dropout barely regularises
 * them; zeroing a channel for a sample does.
 *
 *   forward:  y[n,c,h,w] = x[n,c,h,w] · M[n,c] / (1 − p),   M ~ Bernoulli(1 − p) per (sample, channel)
 *   backward: dX[n,c,h,w] = dY[n,c,h,w] · M[n,c] / (1 − p)   (each output depends on its own input only)
 *
 * Input rank, as PyTorch (1.12 – 2.x) does it: 4-D is (N,C,H,W); 3-D is read as (N,C,L) — one
 * mask per (sample, channel), i.e. Dropout1d, NOT an unbatched (C,H,W) image — with PyTorch's
 * warning, shown once. PyTorch deprecates every other rank (a warning now, an error "in a future
 * release"); we refuse them now and say what to use instead.
 */
import type { Tensor } from '../../lib/tensor';
import { defineOp } from '../../lib/define-op';
import { formatShape } from '../../base/shape';
import { checkProbability } from '../../lib/validate';
import { generatorOf } from '../../lib/random/generator';
import { warnOnce } from '../../lib/warn-once';
import { type DropOptions, isTraining, type Noise, RateNoiseLayer } from './noise-layer';
import { bernoulliKeepMask } from './dropout';
import { multiplyByMask } from './mask-product';

/** PyTorch's warning for a 3-D input, word for word. */
export const DROPOUT2D_3D_WARNING =
  'dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior is desired - input is interpreted ' +
  'as shape (N, C, L), where C is the channel dim. This behavior will change in a future release to interpret the input as one ' +
  'without a batch dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise dropout behavior, please switch to using dropout1d instead.';

function checkInput(x: Tensor): void {
  if (x.ndim === 3) warnOnce('dropout2d-3d', DROPOUT2D_3D_WARNING);
  else if (x.ndim !== 4) {
    throw new RangeError(
      `dropout2d: input must be 4-D (N,C,H,W) or 3-D (N,C,L), got a ${x.ndim}-D input ${formatShape(x.shape)} ` +
        '(PyTorch deprecates other ranks: use dropout for elementwise dropout, or reshape to (N,C,H,W))',
    );
  }
}

/** One scaled keep value per (sample, channel), shaped to broadcast over the rest: [N,C,1,1] or [N,C,1]. */
export function dropout2dMask(x: Tensor, p: number, options: DropOptions = {}): Tensor {
  checkProbability('dropout2d', 'p', p);
  checkInput(x);
  const channelShape = x.shape.map((d, i) => (i < 2 ? d : 1));
  return bernoulliKeepMask(channelShape, p, x.dtype, generatorOf('dropout2d', options.generator));
}

/** y = x ⊙ m for a drawn channel mask m = M/(1 − p) broadcast over the map; dX = dY ⊙ m. */
export const dropout2dOp = defineOp({
  name: 'dropout2d',
  forward: (x: Tensor, mask: Tensor) => ({ output: multiplyByMask('dropout2d', x, mask), saved: mask }),
  backward: (mask, gradOutput) => [multiplyByMask('dropout2d', gradOutput, mask), null],
});

function applyDropout2d(x: Tensor, p: number, options: DropOptions): Noise {
  const mask = dropout2dMask(x, p, options);
  return { output: dropout2dOp(x, mask), mask };
}

export function dropout2d(x: Tensor, p = 0.5, options: DropOptions = {}): Tensor {
  const training = isTraining('dropout2d', options);
  checkProbability('dropout2d', 'p', p);
  checkInput(x);
  return training && p > 0 ? applyDropout2d(x, p, options).output : x;
}

export class Dropout2d extends RateNoiseLayer {
  protected override checkInput(x: Tensor): void {
    checkInput(x);
  }

  protected applyNoise(x: Tensor): Noise {
    return applyDropout2d(x, this.p, this.options);
  }
}
