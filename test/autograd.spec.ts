import { expect } from 'chai';
import { type Tensor, defineOp, grad, mul, noGrad, randn, tensor, add, sub } from '../index';

describe('autograd engine', () => {
  it('accumulates gradients into .grad over two backward calls', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    mul(x, x).backward(tensor([1, 1, 1]));
    expect(x.grad!.toArray()).to.deep.equal([2, 4, 6]);
    mul(x, 3).backward(tensor([1, 1, 1]));
    expect(x.grad!.toArray()).to.deep.equal([5, 7, 9]);
  });

  it('sums the gradient of a shared subexpression (diamond graph)', () => {
    const x = tensor([2], { requiresGrad: true });
    const y = mul(x, 3); // y is used twice: z = y·y + y, so dz/dx = (2y + 1)·3
    const z = add(mul(y, y), y);
    z.backward();
    expect(x.grad!.item()).to.equal((2 * 6 + 1) * 3);
  });

  it('records nothing inside noGrad and restores the mode afterwards', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = noGrad(() => mul(x, 2));
    expect(y.requiresGrad).to.equal(false);
    expect(y.gradFn).to.equal(null);
    expect(mul(x, 2).requiresGrad).to.equal(true);
    expect(() =>
      noGrad(() => {
        throw new Error('boom');
      }),
    ).to.throw('boom');
    expect(mul(x, 2).requiresGrad).to.equal(true);
  });

  it('detach() shares storage but cuts the graph', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const d = mul(x, 2).detach();
    expect(d.requiresGrad).to.equal(false);
    const z = add(mul(x, d), x); // dz/dx = d + 1, no path through d
    z.backward(tensor([1, 1]));
    expect(x.grad!.toArray()).to.deep.equal([3, 5]);
  });

  it('requiresGrad_() marks a leaf and refuses to untrack a non-leaf', () => {
    const x = tensor([1]).requiresGrad_();
    expect(x.requiresGrad).to.equal(true);
    const y = mul(x, 2);
    expect(() => y.requiresGrad_(false)).to.throw('non-leaf');
  });

  it('refuses a second backward through a released graph, allows it with retainGraph', () => {
    const x = tensor([3], { requiresGrad: true });
    const y = mul(x, x);
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expect(x.grad!.item()).to.equal(12);
    expect(() => y.backward()).to.throw('second time');
  });

  it('names the shape when a non-scalar output gets no gradOutput', () => {
    const x = randn([2, 3], { requiresGrad: true });
    expect(() => mul(x, 2).backward()).to.throw('backward: gradOutput is needed for a non-scalar output of shape [2,3]');
    expect(() => mul(x, 2).backward(randn([3]))).to.throw('gradOutput shape [3] does not match output shape [2,3]');
    expect(() => tensor([1]).backward()).to.throw('does not require grad');
  });

  it('keeps .grad on a non-leaf only when asked (retainGrad)', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = mul(x, 2).retainGrad();
    const w = mul(x, 5);
    mul(y, w).backward(tensor([1, 1]));
    expect(y.grad!.toArray()).to.deep.equal([5, 10]);
    expect(w.grad).to.equal(null);
  });

  it('grad() returns gradients without touching .grad', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const u = tensor([5], { requiresGrad: true });
    const [gx, gu] = grad(mul(x, x), [x, u], tensor([1, 1]));
    expect(gx!.toArray()).to.deep.equal([2, 4]);
    expect(gu).to.equal(null);
    expect(x.grad).to.equal(null);
  });

  it('does not attach a graph node to an input that an op returns unchanged', () => {
    const identity = defineOp({ name: 'identity', forward: (t: Tensor) => ({ output: t, saved: null }), backward: (_, g) => [g] });
    const x = tensor([1, 2], { requiresGrad: true });
    const y = identity(x);
    expect(x.isLeaf).to.equal(true);
    expect(y).to.not.equal(x);
    sub(y, 0).backward(tensor([1, 1]));
    expect(x.grad!.toArray()).to.deep.equal([1, 1]);
  });

  it('checks that a custom backward returns gradients of the input shapes', () => {
    const wrong = defineOp({
      name: 'wrongShape',
      forward: (t: Tensor) => ({ output: mul(t, 1), saved: null }),
      backward: () => [tensor([1])],
    });
    const x = randn([2, 2], { requiresGrad: true });
    expect(() => wrong(x).backward(randn([2, 2]))).to.throw('wrongShape backward: gradient for input 0 has shape [1], expected [2,2]');
  });

  it('handles a deep chain without overflowing the stack', () => {
    const x = tensor([1], { requiresGrad: true });
    let y = x;
    for (let i = 0; i < 20000; i++) y = add(y, 1);
    y.backward();
    expect(x.grad!.item()).to.equal(1);
  });

  it("gives a leaf a gradient of the leaf's own dtype in mixed float32/float64 ops, as PyTorch", () => {
    const small = tensor([1, 2], { dtype: 'float32', requiresGrad: true });
    const wide = tensor([3, 4], { requiresGrad: true });
    const y = add(mul(small, wide), small).sum();
    expect(y.dtype).to.equal('float64');
    y.backward();
    expect(small.grad!.dtype).to.equal('float32');
    expect(Array.from(small.grad!.data)).to.deep.equal([4, 5]);
    expect(wide.grad!.dtype).to.equal('float64');
    const [g] = grad(mul(small, wide).sum(), [small]);
    expect(g!.dtype, 'grad() too').to.equal('float32');
  });

  it('without createGraph, a gradient carries no graph to differentiate again (the first-order path)', () => {
    const x = randn([3], { requiresGrad: true });
    mul(x, x).sum().backward();
    expect(x.grad!.gradFn).to.equal(null);
    expect(x.grad!.requiresGrad).to.equal(false);
    expect(() => x.grad!.sum().backward()).to.throw('backward: this tensor does not require grad and has no gradFn');
  });
});
