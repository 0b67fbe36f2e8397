import { expect } from 'chai';
import { type Tensor, mul, add, ones, zeros, randn } from '../index';
import { Module, snakeCase } from '../nn/module';
import { Parameter } from '../nn/parameter';
import { ModuleList, Sequential } from '../nn/containers';

/** y = x·scale + shift, with a counter buffer: enough surface to exercise Module. */
class Affine extends Module {
  scale = new Parameter(ones([3]));
  shift = new Parameter(zeros([3]));
  callCount = this.registerBuffer('callCount', zeros([1]));

  override forward(x: Tensor): Tensor {
    return add(mul(x, this.scale), this.shift);
  }

  protected override describe(): string {
    return 'features=3';
  }
}

class Net extends Module {
  layer1 = new Sequential(new Affine(), new Affine());
  head = new Affine();

  override forward(x: Tensor): Tensor {
    return this.head.forward(this.layer1.forward(x));
  }
}

describe('Module', () => {
  it('names parameters and buffers with dotted snake_case keys, in PyTorch order', () => {
    const net = new Net();
    expect(net.namedParameters().map(([n]) => n)).to.deep.equal([
      'layer1.0.scale',
      'layer1.0.shift',
      'layer1.1.scale',
      'layer1.1.shift',
      'head.scale',
      'head.shift',
    ]);
    expect(net.namedBuffers().map(([n]) => n)).to.deep.equal(['layer1.0.call_count', 'layer1.1.call_count', 'head.call_count']);
    expect(Object.keys(net.stateDict())).to.deep.equal([
      'layer1.0.scale',
      'layer1.0.shift',
      'layer1.0.call_count',
      'layer1.1.scale',
      'layer1.1.shift',
      'layer1.1.call_count',
      'head.scale',
      'head.shift',
      'head.call_count',
    ]);
    expect(snakeCase('numBatchesTracked')).to.equal('num_batches_tracked');
  });

  it('propagates train() and eval() to every descendant', () => {
    const net = new Net().eval();
    expect(net.modules().every((m) => !m.training)).to.equal(true);
    net.train();
    expect(net.modules().every((m) => m.training)).to.equal(true);
  });

  it('refuses a train() mode that is not a boolean (PyTorch: "training mode is expected to be boolean"), changing nothing', () => {
    const net = new Net();
    for (const bad of ['no', 0, null])
      expect(() => net.train(bad as never)).to.throw(`Net.train: mode must be a boolean, got ${JSON.stringify(bad)}`);
    expect(net.modules().every((m) => m.training === true)).to.equal(true);
  });

  it('round-trips a state dict and returns copies, not views', () => {
    const a = new Net();
    const b = new Net();
    a.head.scale.data.set([5, 6, 7]);
    const state = a.stateDict();
    a.head.scale.data[0] = -1;
    expect(state['head.scale'].toArray()).to.deep.equal([5, 6, 7]);
    expect(b.loadStateDict(state)).to.deep.equal({ missingKeys: [], unexpectedKeys: [] });
    expect(b.head.scale.toArray()).to.deep.equal([5, 6, 7]);
  });

  it('refuses a mismatching state dict without changing anything', () => {
    const net = new Net();
    const state = net.stateDict();
    state['head.scale'] = ones([3]).mul(9);
    state['layer1.0.shift'] = ones([4]);
    expect(() => net.loadStateDict(state)).to.throw('loadStateDict: layer1.0.shift has shape [4] in the state dict, [3] in the module');
    expect(net.head.scale.toArray()).to.deep.equal([1, 1, 1]);
    delete state['layer1.0.shift'];
    expect(() => net.loadStateDict(state)).to.throw('missing keys: layer1.0.shift; unexpected keys: none');
    const result = net.loadStateDict({ ...state, extra: ones([1]) }, { strict: false });
    expect(result).to.deep.equal({ missingKeys: ['layer1.0.shift'], unexpectedKeys: ['extra'] });
    expect(net.head.scale.toArray()).to.deep.equal([9, 9, 9]);
  });

  it('refuses a value that is not a Tensor, naming the key and what was expected, without changing anything', () => {
    const net = new Net();
    const state = net.stateDict();
    state['head.scale'] = ones([3]).mul(9);
    const bad = { ...state, 'layer1.0.shift': 5 as unknown as Tensor };
    expect(() => net.loadStateDict(bad)).to.throw(TypeError, 'loadStateDict: layer1.0.shift must be a Tensor of shape [3], got 5');
    expect(() => net.loadStateDict({ ...state, 'head.shift': null as unknown as Tensor }, { strict: false })).to.throw(
      TypeError,
      'loadStateDict: head.shift must be a Tensor of shape [3], got null',
    );
    expect(net.head.scale.toArray()).to.deep.equal([1, 1, 1]);
    expect(() => new Affine().loadStateDict({ weight: 5 } as unknown as Record<string, Tensor>)).to.throw('unexpected keys: weight');
    expect(() => net.loadStateDict(null as unknown as Record<string, Tensor>)).to.throw(
      TypeError,
      'loadStateDict: state must be an object of named Tensors, got null',
    );
  });

  it('trains end to end: gradients reach every parameter, zeroGrad clears them', () => {
    const net = new Net();
    const y = net.forward(randn([4, 3]));
    y.backward(ones([4, 3]));
    expect(net.parameters().every((p) => p.grad !== null)).to.equal(true);
    net.zeroGrad();
    expect(net.parameters().every((p) => p.grad === null)).to.equal(true);
  });

  it('prints a tree with the parameter count', () => {
    expect(new Net().toString()).to.equal(
      'Net()\n  (layer1): Sequential()\n    (0): Affine(features=3)\n    (1): Affine(features=3)\n  (head): Affine(features=3)\n[18 parameters]',
    );
  });

  it('ModuleList indexes, appends and refuses non-modules', () => {
    const list = new ModuleList([new Affine()]);
    list.append(new Affine());
    expect(list.length).to.equal(2);
    expect(list.at(-1)).to.equal(list.children()[1]);
    expect(() => list.at(5)).to.throw('ModuleList.at: index 5 is out of range for 2 modules');
    expect(() => list.append({} as Module)).to.throw('ModuleList.append: expected a Module');
  });
});
