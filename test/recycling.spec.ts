import { expect } from 'chai';
import { Tensor, add, crossEntropy, defineOp, manualSeed, models, mul, randn, relu, reshape } from '../index';
import { allocate, recycle } from '../base/dtype';

/** Arrays at least this long are recycled (base/dtype.ts keeps no smaller ones). */
const shape = [64, 80];
const length = 64 * 80;

/** Allocates every array the pool could hand out for (dtype, length) and says whether `array` was among them. */
function handedOutAgain(array: Float32Array | Float64Array): boolean {
  const dtype = array instanceof Float64Array ? 'float64' : 'float32';
  return Array.from({ length: 8 }, () => allocate(dtype, array.length)).includes(array);
}

describe('recycled arrays (allocate, recycle and the autograd engine)', () => {
  beforeEach(() => manualSeed(3));

  it('allocate hands a recycled array out again zero-filled, once, and only for its dtype and length', () => {
    const array = allocate('float32', length);
    array.fill(7);
    recycle(array);
    recycle(array); // twice: still handed out once
    expect(allocate('float64', length)).to.not.equal(array);
    expect(allocate('float32', length + 1)).to.not.equal(array);
    const again = allocate('float32', length);
    expect(again).to.equal(array);
    expect(again.every((v) => v === 0)).to.equal(true);
    expect(allocate('float32', length)).to.not.equal(array);
    const small = allocate('float64', 16);
    recycle(small);
    expect(allocate('float64', 16)).to.not.equal(small);
  });

  it("never recycles a gradient a backward did not make: a captured tensor, the caller's gradOutput", () => {
    const constant = randn(shape);
    const values = Array.from(constant.data);
    // Its backward returns a tensor made before backward ran (a user's, a saved one …).
    const passConstant = defineOp({
      name: 'passConstant',
      forward: (t: Tensor) => ({ output: mul(t, 1), saved: null }),
      backward: () => [constant],
    });
    const x = randn(shape, { requiresGrad: true });
    passConstant(relu(x)).backward(randn(shape)); // relu consumes `constant` as its gradOutput
    expect(handedOutAgain(constant.storage)).to.equal(false);
    expect(Array.from(constant.data)).to.deep.equal(values);

    // The caller's gradOutput reaches relu as a view (through reshape's backward): it stays the caller's.
    const gradOutput = randn([80, 64]);
    const given = Array.from(gradOutput.data);
    reshape(relu(x), [80, 64]).backward(gradOutput);
    expect(handedOutAgain(gradOutput.storage)).to.equal(false);
    expect(Array.from(gradOutput.data)).to.deep.equal(given);
  });

  it('keeps a gradient that another tensor still waits for (one backward output shared by two inputs)', () => {
    const x1 = randn(shape, { requiresGrad: true });
    const x2 = randn(shape, { requiresGrad: true });
    const g = randn(shape);
    // mul's backward makes one fresh gradient; add's backward passes it on to both relus.
    mul(add(relu(x1), relu(x2)), 2).backward(g);
    for (const x of [x1, x2]) {
      const expected = Array.from(x.data, (v, i) => (v > 0 ? 2 * g.data[i] : 0));
      expect(Array.from(x.grad!.data, (v) => v + 0)).to.deep.equal(expected);
    }
  });

  it('gives bitwise the same gradients with fresh and with recycled arrays (two identical steps of the small CNN)', () => {
    const model = models.smallCnn({ dtype: 'float32' });
    const x = randn([8, 1, 28, 28], { dtype: 'float32' });
    const y = Tensor.fromData(
      Float32Array.from({ length: 8 }, (_, i) => i % 10),
      [8],
    );
    const gradients = (): number[][] => {
      for (const p of model.parameters()) p.grad = null;
      crossEntropy(model.forward(x), y).backward();
      return model.parameters().map((p) => Array.from(p.grad!.data));
    };
    // Batch-norm's running statistics change between the two passes, but not what backward computes in training.
    const first = gradients();
    const second = gradients();
    expect(second).to.deep.equal(first);
  });
});
