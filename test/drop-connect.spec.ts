import { expect } from 'chai';
import { Generator, gradcheck, linear, manualSeed, nn, randn, type Tensor } from '../index';
import { expectRate, zeroFraction } from './helpers/stats';

describe('DropConnectLinear', () => {
  beforeEach(() => manualSeed(11));

  it('masks weights at rate p with inverted scaling, one mask per forward', () => {
    const layer = new nn.DropConnectLinear(100, 100, 0.3);
    const x = randn([4, 100]);
    const y = layer.forward(x);
    const mask = layer.lastMask!;
    expect(mask.shape).to.deep.equal([100, 100]);
    expectRate(zeroFraction(mask.data), 0.3, 10000, 'weight drop rate');
    const expected = linear(x, layer.weight.mul(mask), layer.bias!);
    expect(Array.from(y.data)).to.deep.equal(Array.from(expected.data));
  });

  it('uses the mean weights in eval (plain linear) and validates p', () => {
    const layer = new nn.DropConnectLinear(3, 2, 0.5).eval();
    const x = randn([2, 3]);
    expect(Array.from(layer.forward(x).data)).to.deep.equal(Array.from(linear(x, layer.weight, layer.bias!).data));
    expect(() => new nn.DropConnectLinear(3, 2, 1.5)).to.throw('DropConnectLinear: p must be a probability in [0, 1], got 1.5');
  });

  it('gradcheck w.r.t. input, weight and bias with a fixed mask; dW is masked', () => {
    const layer = new nn.DropConnectLinear(4, 3, 0.5, { generator: new Generator(0) });
    const seeded = (x: Tensor): Tensor => {
      layer.dropOptions.generator!.manualSeed(21);
      return layer.forward(x);
    };
    gradcheck((x: Tensor) => seeded(x), [randn([2, 4], { requiresGrad: true }), layer.weight, layer.bias!]);
    layer.zeroGrad();
    seeded(randn([2, 4]))
      .sum()
      .backward();
    layer.weight.grad!.data.forEach((g, i) => {
      if (layer.lastMask!.data[i] === 0) expect(g).to.equal(0);
    });
  });
});
