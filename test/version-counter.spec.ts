/**
 * In-place writes to a tensor that backward saved are caught, as PyTorch's version counter does:
 * every write through the in-place API (`storage`: optimizers, initializers, loadStateDict) bumps
 * `_version`, each op notes the versions of what it saves, and backward refuses a changed one
 * instead of computing a gradient from the new numbers.
 */
import { expect } from 'chai';
import { add, exp, mul, nn, optim, randn, tensor } from '../index';

const modified = 'one of the tensors needed for gradient computation has been modified by an in-place operation:';

describe('version counter (PyTorch: tensor._version)', () => {
  it('starts at 0, is bumped by each write through storage, and is shared by views of the same memory', () => {
    const x = randn([2, 3]);
    expect(x._version).to.equal(0);
    const t = x.transpose(0, 1);
    x.storage[0] = 1;
    expect(x._version).to.equal(1);
    expect(t._version).to.equal(1);
    x.storage.fill(0);
    expect([x._version, t._version, x.reshape([6])._version]).to.deep.equal([2, 2, 2]);
  });

  it("fails backward naming the op and the saved input that changed (a write to mul's input changed its gradient silently)", () => {
    const x = randn([3], { requiresGrad: true });
    const y = mul(x, x).sum();
    x.storage[1] = 5;
    expect(() => y.backward()).to.throw(Error, `${modified} input 0 of mul (shape [3]) is at version 1; expected version 0`);
  });

  it('names a saved output too, and says "the input" for an op of one input', () => {
    const x = randn([3], { requiresGrad: true });
    const y = exp(x);
    const loss = y.sum();
    y.storage[0] = 0;
    expect(() => loss.backward()).to.throw(`${modified} the output of exp (shape [3]) is at version 1; expected version 0`);
    const w = tensor([[1, 2, 3]], { requiresGrad: true });
    const z = new nn.Linear(3, 2).forward(w).sum();
    w.storage[0] = 4;
    expect(() => z.backward()).to.throw(`${modified} input 0 of linear (shape [1,3]) is at version 1; expected version 0`);
  });

  it('lets a write through that no backward needs (add saves no tensor, as in PyTorch)', () => {
    const x = randn([3], { requiresGrad: true });
    const y = add(x, 1).sum();
    x.storage[0] = 5;
    y.backward();
    expect(Array.from(x.grad!.data)).to.deep.equal([1, 1, 1]);
  });

  it("an optimizer's step and nn.init count as writes: backward through a graph made before them fails", () => {
    const layer = new nn.Linear(3, 2);
    const opt = new optim.SGD(layer.parameters(), { lr: 0.1 });
    const loss = layer.forward(randn([4, 3])).sum();
    loss.backward(undefined, { retainGraph: true });
    const before = layer.weight._version;
    opt.step();
    expect(layer.weight._version).to.equal(before + 1);
    expect(() => loss.backward()).to.throw(
      `${modified} input 1 of linear (shape [2,3]) is at version ${before + 1}; expected version ${before}`,
    );
    nn.init.uniform_(layer.weight, -1, 1);
    expect(layer.weight._version).to.equal(before + 2);
  });

  it("batch norm's update of its running statistics is an in-place write too", () => {
    const bn = new nn.BatchNorm1d(2);
    bn.forward(randn([4, 2]));
    bn.forward(randn([4, 2]));
    expect([bn.runningMean!._version, bn.runningVar!._version, bn.numBatchesTracked!._version]).to.deep.equal([2, 2, 2]);
  });

  it('writes to .data cannot be seen (documented): only the in-place API counts', () => {
    const x = randn([3]);
    x.data[0] = 1;
    expect(x._version).to.equal(0);
  });
});
