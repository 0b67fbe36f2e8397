import { expect } from 'chai';
import { add, grad, manualSeed, mul, nn, pow, randn, sqrt, sub, sum, tensor } from '../index';

/** x³ written with mul only, whose backward is made of mul (and the engine's add). */
const cube = (x: ReturnType<typeof tensor>) => mul(mul(x, x), x);

describe('createGraph: gradients of gradients (PyTorch create_graph=True)', () => {
  it('grad() with createGraph returns a gradient with a gradFn, which grad() differentiates again', () => {
    const x = tensor([1, -2, 3], { requiresGrad: true });
    const [first] = grad(sum(cube(x)), [x], undefined, { createGraph: true });
    expect(first!.toArray()).to.deep.equal([3, 12, 27]);
    expect(first!.gradFn).to.not.equal(null);
    const [second] = grad(sum(first!), [x]);
    expect(second!.toArray()).to.deep.equal([6, -12, 18]);
    expect(second!.gradFn, 'the second call had no createGraph').to.equal(null);
  });

  it('differentiates to any order: the third derivative of x³ is 6', () => {
    const x = tensor([0.5, 2], { requiresGrad: true });
    const [d1] = grad(sum(cube(x)), [x], undefined, { createGraph: true });
    const [d2] = grad(sum(d1!), [x], undefined, { createGraph: true });
    const [d3] = grad(sum(d2!), [x]);
    expect(d3!.toArray()).to.deep.equal([6, 6]);
  });

  it('sums the gradients of a shared subexpression through the graph (the engine adds with an op)', () => {
    const x = tensor([2, 3], { requiresGrad: true });
    const y = add(mul(x, x), mul(x, x)); // two paths into x: dy/dx = 4x, d²y/dx² = 4
    const [first] = grad(sum(y), [x], undefined, { createGraph: true });
    expect(first!.toArray()).to.deep.equal([8, 12]);
    expect(grad(sum(first!), [x])[0]!.toArray()).to.deep.equal([4, 4]);
  });

  it('keeps a gradOutput that requires grad in the graph (what gradgradcheck differentiates)', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const v = tensor([3, 5], { requiresGrad: true });
    const [vjp] = grad(mul(x, x), [x], v, { createGraph: true }); // 2x·v
    const [dv] = grad(sum(vjp!), [v]);
    expect(dv!.toArray()).to.deep.equal([2, 4]);
  });

  it('converts a float32 leaf’s gradient with a differentiable cast', () => {
    const small = tensor([1, 2], { dtype: 'float32', requiresGrad: true });
    const wide = tensor([3, 4], { requiresGrad: true });
    const [g] = grad(sum(mul(mul(small, small), wide)), [small], undefined, { createGraph: true }); // 2·s·w
    expect(g!.dtype).to.equal('float32');
    expect(g!.gradFn).to.not.equal(null);
    const [gw] = grad(sum(g!), [wide]);
    expect(gw!.toArray()).to.deep.equal([2, 4]);
  });

  it('backward with createGraph makes .grad part of the graph, and implies retainGraph', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = sum(cube(x));
    y.backward(undefined, { createGraph: true });
    expect(x.grad!.toArray()).to.deep.equal([3, 12]);
    expect(x.grad!.gradFn).to.not.equal(null);
    const firstGrad = x.grad!;
    y.backward(undefined, { createGraph: true }); // the graph was retained; .grad accumulates out of place
    expect(x.grad!.toArray()).to.deep.equal([6, 24]);
    expect(x.grad!.gradFn).to.not.equal(null);
    expect(firstGrad.toArray(), 'accumulation did not write the earlier .grad').to.deep.equal([3, 12]);
    // d/dx Σ .grad = d/dx 2·Σ 3x² = 12x
    expect(grad(sum(x.grad!), [x])[0]!.toArray()).to.deep.equal([12, 24]);
  });

  it('an explicit retainGraph: false still releases the graph', () => {
    const x = randn([2], { requiresGrad: true });
    const y = sum(cube(x));
    grad(y, [x], undefined, { createGraph: true, retainGraph: false });
    expect(() => grad(y, [x])).to.throw('trying to backward through the graph a second time');
  });

  it('trains through a gradient penalty (‖∇ₓD(x)‖ − 1)², as WGAN-GP: the parameters get its exact gradient', () => {
    manualSeed(2);
    const critic = new nn.Sequential(new nn.Linear(3, 4), new nn.Tanh(), new nn.Linear(4, 1));
    const x = randn([5, 3], { requiresGrad: true });
    const penalty = (): ReturnType<typeof sum> => {
      const [dx] = grad(sum(critic.forward(x)), [x], undefined, { createGraph: true });
      return sum(pow(sub(sqrt(sum(mul(dx!, dx!), 1)), 1), 2));
    };
    penalty().backward();
    const weight = critic.parameters()[0];
    // Central differences of the penalty in each element of the first layer's weight.
    const numerical = Array.from({ length: weight.numel }, (_, k) => {
      const store = weight.storage;
      const value = store[k];
      const at = (shift: number): number => {
        store[k] = value + shift;
        return penalty().item();
      };
      const slope = (at(1e-6) - at(-1e-6)) / 2e-6;
      store[k] = value;
      return slope;
    });
    Array.from(weight.grad!.data).forEach((analytical, k) => {
      expect(analytical).to.be.closeTo(numerical[k], 1e-6 + 1e-4 * Math.abs(numerical[k]));
    });
  });

  it('refuses an unknown option key, naming it', () => {
    const x = randn([2], { requiresGrad: true });
    expect(() => sum(x).backward(undefined, { creatGraph: true } as never)).to.throw(/backward.*creatGraph/);
    expect(() => grad(sum(x), [x], undefined, { create_graph: true } as never)).to.throw(/grad.*create_graph/);
  });
});
