import { expect } from 'chai';
import { Generator, gradcheck, manualSeed, nn, randn, type Tensor } from '../index';

describe('basic layers (Linear, activations, Flatten, Identity)', () => {
  beforeEach(() => manualSeed(10));

  it('Linear initialises U(±1/√in) as PyTorch does, reproducibly from the seed', () => {
    const layer = new nn.Linear(16, 8);
    expect(layer.weight.shape).to.deep.equal([8, 16]);
    expect(layer.bias!.shape).to.deep.equal([8]);
    expect(layer.weight.data.every((v) => Math.abs(v) <= 0.25)).to.equal(true);
    expect(Math.max(...layer.weight.data.map(Math.abs))).to.be.greaterThan(0.2);
    const again = new nn.Linear(16, 8, { generator: new Generator(1) });
    const twin = new nn.Linear(16, 8, { generator: new Generator(1) });
    expect(Array.from(again.weight.data)).to.deep.equal(Array.from(twin.weight.data));
    expect(new nn.Linear(3, 2, { bias: false }).bias).to.equal(null);
    expect(new nn.Linear(3, 2, { dtype: 'float32' }).weight.dtype).to.equal('float32');
    expect(() => new nn.Linear(0, 2)).to.throw('Linear: inFeatures must be a positive integer, got 0');
  });

  it('Linear: gradcheck w.r.t. input, weight and bias through the layer', () => {
    const layer = new nn.Linear(4, 3);
    // The parameters are perturbed in place, so the layer sees every perturbation.
    gradcheck((x: Tensor) => layer.forward(x), [randn([2, 4], { requiresGrad: true }), layer.weight, layer.bias!]);
  });

  it('a Sequential MLP computes, names its state, and prints its size', () => {
    const model = new nn.Sequential(new nn.Flatten(), new nn.Linear(12, 5), new nn.ReLU(), new nn.Linear(5, 2), new nn.Identity());
    expect(model.forward(randn([3, 3, 4])).shape).to.deep.equal([3, 2]);
    expect(Object.keys(model.stateDict())).to.deep.equal(['1.weight', '1.bias', '3.weight', '3.bias']);
    expect(model.toString()).to.contain('(1): Linear(inFeatures=12, outFeatures=5, bias=true)').and.contain('[77 parameters]');
  });

  it('activation layers match their functions and gradcheck', () => {
    const x = randn([3, 4], { requiresGrad: true });
    for (const layer of [new nn.LeakyReLU(0.2), new nn.Sigmoid(), new nn.Tanh()]) {
      gradcheck((t: Tensor) => layer.forward(t), [x]);
    }
    expect(new nn.ReLU().forward(randn([5]).abs().neg()).data.every((v) => v === 0)).to.equal(true);
  });
});
