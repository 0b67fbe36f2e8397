/**
 * Spatial dropout / Dropout2d (Tompson et al. 2015): drops whole feature maps. Neighbouring
 * activations in a conv map are strongly correlated, so elementwise dropout barely regularises
 * them; zeroing a channel for a sample does.
 *
 *   forward:  y[n,c,h,w] = x[n,c,h,w] · M[n,c] / (1 − p),   M ~ Bernoulli(1 − p) per (sample, channel)
 *   backward: dX[n,c,h,w] = dY[n,c,h,w] · M[n,c] / (1 − p)
 */
import { Tensor } from '../../lib/tensor';
import { formatShape } from '../../lib/shape';
import { DropOptions, RateNoiseLayer, applyNoise } from './noise-layer';
import { checkProbability } from './validate';
import { bernoulliKeepMask } from './dropout';

/** One scaled keep value per channel, shaped to broadcast over H×W: [N,C,1,1] (or [C,1,1] unbatched). */
export function dropout2dMask(x: Tensor, p: number, options: DropOptions = {}): Tensor {
  checkProbability('dropout2d', 'p', p);
  if (x.ndim !== 4 && x.ndim !== 3) {
    throw new RangeError(`dropout2d: input must be [N,C,H,W] or [C,H,W], got ${formatShape(x.shape)}`);
  }
  const channelShape = x.shape.slice(0, x.ndim - 2).concat([1, 1]);
  return bernoulliKeepMask(channelShape, p, x.dtype, options.generator);
}

export function dropout2d(x: Tensor, p = 0.5, training = true, options: DropOptions = {}): Tensor {
  checkProbability('dropout2d', 'p', p);
  return applyNoise(x, training && p > 0, (t) => dropout2dMask(t, p, options));
}

export class Dropout2d extends RateNoiseLayer {
  sampleMask(x: Tensor): Tensor {
    return dropout2dMask(x, this.p, this.options);
  }
}
