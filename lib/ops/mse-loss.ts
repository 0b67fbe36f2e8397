/**
 * mseLoss, with PyTorch's reductions. Its first-order backward is a loop over the differences the
 * forward kept; with createGraph it is written in differentiable ops, so it can be differentiated again.
 */
import { Tensor } from '../tensor';
import { defineOp } from '../define-op';
import { type DType, allocate } from '../../base/dtype';
import { formatShape, sameShape } from '../../base/shape';
import { checkOptions, optionKeys } from '../validate';
import { isGradEnabled } from '../grad-mode';
import { div, mul, sub } from './arithmetic';
import { type Reduction, checkReduction, itemGradients, reduceItems } from './loss-reduction';

export interface MseLossOptions {
  reduction?: Reduction;
}
const mseLossOptionKeys = optionKeys<MseLossOptions>({ reduction: true });

/** loss = (x − t)², reduced;  dloss/dx = 2(x − t), dloss/dt = −2(x − t) (times 1/n for 'mean'). */
export const mseLoss = defineOp({
  name: 'mseLoss',
  forward: (input: Tensor, target: Tensor, options: MseLossOptions = {}) => {
    checkOptions('mseLoss', options, mseLossOptionKeys);
    const { reduction = 'mean' } = options;
    checkReduction(reduction, 'mseLoss');
    if (!sameShape(input.shape, target.shape)) {
      throw new RangeError(`mseLoss: input shape ${formatShape(input.shape)} and target shape ${formatShape(target.shape)} differ`);
    }
    const x = input.values();
    const t = target.values();
    const diff = new Float64Array(x.length);
    const squares = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      diff[i] = x[i] - t[i];
      squares[i] = diff[i] * diff[i];
    }
    const output = reduceItems(squares, input.shape, reduction, x.length, input.dtype);
    return { output, saved: { input, target, diff, reduction, shape: input.shape, dtypes: [input.dtype, target.dtype] } };
  },
  backward: ({ input, target, diff, reduction, shape, dtypes }, g, needsGrad) => {
    if (isGradEnabled()) {
      // dinput = 2·s·(x − t) with s = g, or g/n for 'mean'; dtarget is its negative.
      const twice = mul(mul(reduction === 'mean' ? div(g, diff.length) : g, 2), sub(input, target));
      return [needsGrad[0] ? twice : null, needsGrad[1] ? mul(twice, -1) : null];
    }
    const scale = itemGradients(g, diff.length, reduction, diff.length);
    const gradient = (dtype: DType, sign: number): Tensor => {
      const out = allocate(dtype, diff.length);
      for (let i = 0; i < out.length; i++) out[i] = 2 * sign * scale[i] * diff[i];
      return Tensor.fromData(out, shape);
    };
    return [needsGrad[0] ? gradient(dtypes[0], 1) : null, needsGrad[1] ? gradient(dtypes[1], -1) : null];
  },
});
