import { expect } from 'chai';
import { gradcheck, randn, tensor, Tensor } from '../index';
import { maskedScale } from '../nn/drop/masked-scale';

describe('maskedScale', () => {
  it('multiplies by a broadcast mask and passes dY ⊙ mask back', () => {
    const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const y = maskedScale(x, tensor([[0], [2]]));
    expect(y.toArray()).to.deep.equal([[0, 0], [6, 8]]);
    y.backward(tensor([[1, 1], [1, 1]]));
    expect(x.grad!.toArray()).to.deep.equal([[0, 0], [2, 2]]);
    gradcheck((t: Tensor) => maskedScale(t, tensor([[0.5], [2]])), [randn([2, 3], { requiresGrad: true })]);
  });

  it('refuses a mask that would change the input shape', () => {
    expect(() => maskedScale(randn([2, 1]), randn([2, 3]))).to.throw("maskedScale: mask of shape [2,3] does not broadcast to the input's shape [2,1]");
  });
});
