/**
 * Op outputs living in the wasm memory (kernels/wasm/resident-storage.ts, docs/kernels.md
 * "Operands that stay in wasm memory"): kernels read them in place, a user never holds a view of
 * that memory, blocks come back deterministically in a synchronous training loop, and the memory
 * stays flat.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect } from 'chai';
import {
  F,
  Generator,
  type Tensor,
  crossEntropy,
  grad,
  models,
  nn,
  noGrad,
  optim,
  randn,
  releaseMemory,
  tensor,
  wasmStatus,
  withBackend,
} from '../index';
import { isResident } from '../kernels/wasm/resident-storage';
import { recycle } from '../base/dtype';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const onWasm = <T>(fn: () => T): T => withBackend('wasm', fn);

function residentBytes(): number {
  const status = wasmStatus();
  if (!status.available) throw new Error(`the wasm backend is unavailable: ${status.reason}`);
  return status.residentBytes;
}

describe('tensors living in the wasm memory', () => {
  it('an op output of 4096 values or more lives there on the wasm backend, and not on js or in float64', () => {
    const x = randn([8, 4, 16, 16], { dtype: 'float32' });
    expect(isResident(x.nd.data), 'a tensor the user made').to.equal(false);
    expect(isResident(onWasm(() => F.relu(x)).nd.data)).to.equal(true);
    expect(isResident(withBackend('js', () => F.relu(x)).nd.data), 'js backend').to.equal(false);
    expect(isResident(onWasm(() => F.relu(randn([64, 64]))).nd.data), 'float64').to.equal(false);
    expect(isResident(onWasm(() => F.relu(randn([10, 10], { dtype: 'float32' }))).nd.data), '100 values').to.equal(false);
  });

  it('an op output lives there even when the js backend left ordinary arrays of its size for reuse', () => {
    const x = randn([8, 4, 16, 16], { dtype: 'float32' });
    for (let i = 0; i < 4; i++) recycle(new Float32Array(x.numel)); // ordinary arrays, as js steps give back
    expect(isResident(onWasm(() => F.relu(x)).nd.data)).to.equal(true);
    expect(isResident(withBackend('js', () => F.relu(x)).nd.data), 'and the js backend still takes them').to.equal(false);
  });

  it('data, storage and contiguousData() hand out ordinary arrays with the same numbers, and the tensor keeps working', () => {
    for (const read of [(t: Tensor) => t.data, (t: Tensor) => t.storage, (t: Tensor) => t.contiguousData()]) {
      const y = onWasm(() => F.relu(randn([4, 8, 16, 16], { dtype: 'float32' })));
      const before = Float32Array.from(y.nd.data);
      const array = read(y);
      expect(isResident(array)).to.equal(false);
      expect(array.buffer).to.be.instanceOf(ArrayBuffer);
      expect(Array.from(array)).to.deep.equal(Array.from(before));
      expect(y.nd.data, 'the tensor now reads the ordinary array').to.equal(array);
      const z = onWasm(() => F.maxPool2d(y, 2));
      expect(z.toArray()).to.deep.equal(withBackend('js', () => F.maxPool2d(y, 2)).toArray());
    }
  });

  it("a view a user keeps never sees another tensor's bytes, however much the memory is reused after", () => {
    const kept: Array<{ view: Float32Array | Float64Array; expected: number[] }> = [];
    for (let round = 0; round < 20; round++) {
      const y = onWasm(() => F.relu(randn([2, 8, 32, 32], { dtype: 'float32', generator: new Generator(round) })));
      const view = (round % 2 === 0 ? y.data : y.storage).subarray(100, 4100);
      kept.push({ view, expected: Array.from(view) });
    }
    // Drop every tensor, collect them, let finalizers give their blocks back, and fill the memory with other tensors.
    collectGarbage();
    return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      collectGarbage();
      const others = onWasm(() =>
        Array.from({ length: 40 }, () => F.relu(tensor(new Float32Array(2 * 8 * 32 * 32).fill(7), { shape: [2, 8, 32, 32] }))),
      );
      expect(others.length).to.equal(40);
      for (const { view, expected } of kept) expect(Array.from(view)).to.deep.equal(expected);
    });
  });

  it('a synchronous training loop reuses its blocks: the resident bytes stay flat over 60 steps', () => {
    onWasm(() => {
      const model = models.smallCnn({ dtype: 'float32', generator: new Generator(3) });
      const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
      const x = randn([32, 1, 28, 28], { dtype: 'float32', generator: new Generator(4) });
      const y = tensor(Float32Array.from({ length: 32 }, (_, i) => i % 10));
      const step = (): void => {
        optimizer.zeroGrad();
        crossEntropy(model.forward(x), y).backward();
        optimizer.step();
      };
      for (let i = 0; i < 10; i++) step();
      const after10 = residentBytes();
      for (let i = 0; i < 50; i++) step();
      expect(after10, 'some activations live in the wasm memory').to.be.greaterThan(1 << 20);
      expect(residentBytes()).to.equal(after10);
    });
  });

  /** A small ResNet with every kind of block: basic ones with a projection, bottlenecks, stochastic depth per row. */
  const residualNetworks = (): Array<() => nn.Module> => [
    () => models.resnet({ layers: [1, 2], widths: [8, 16], dtype: 'float32', inChannels: 3, generator: new Generator(7) }),
    () =>
      models.resnet({
        layers: [1, 1],
        widths: [4, 8],
        block: 'bottleneck',
        stochasticDepth: { pL: 0.5, mode: 'row', generator: new Generator(8) },
        dtype: 'float32',
        inChannels: 3,
        generator: new Generator(9),
      }),
  ];

  /** `steps` Adam steps of `model` on one batch; the parameters after them. */
  function trainResidual(model: nn.Module, steps: number, backward: (loss: Tensor) => void = (loss) => loss.backward()): number[][] {
    const optimizer = new optim.Adam(model.parameters(), { lr: 1e-2 });
    const x = randn([8, 3, 16, 16], { dtype: 'float32', generator: new Generator(10) });
    const y = tensor(Float32Array.from({ length: 8 }, (_, i) => i % 10));
    for (let i = 0; i < steps; i++) {
      optimizer.zeroGrad();
      backward(crossEntropy(model.forward(x), y));
      optimizer.step();
    }
    return model.parameters().map((p) => Array.from(p.values()));
  }

  it("a ResNet's training loop reuses its blocks too: the residual blocks give their activations and summed gradients back", () => {
    onWasm(() => {
      for (const make of residualNetworks()) {
        const model = make();
        trainResidual(model, 3);
        const after3 = residentBytes();
        trainResidual(model, 20);
        expect(residentBytes(), String(model)).to.equal(after3);
      }
    });
  });

  it('the memory a ResNet step gives back changes no number: the same parameters as with every graph retained', () => {
    onWasm(() => {
      for (const make of residualNetworks()) {
        // retainGraph keeps every node and what it saved, so nothing is given back to be reused.
        const retained = trainResidual(make(), 4, (loss) => loss.backward(undefined, { retainGraph: true }));
        expect(trainResidual(make(), 4)).to.deep.equal(retained);
      }
    });
  });

  it('a ResNet in eval mode without a graph gives its blocks back call after call, and its outputs do not change', () => {
    onWasm(() => {
      for (const make of residualNetworks()) {
        const model = make().eval();
        const x = randn([8, 3, 16, 16], { dtype: 'float32', generator: new Generator(11) });
        const forward = (): unknown => noGrad(() => model.forward(x)).toArray();
        const first = forward();
        const before = residentBytes();
        for (let i = 0; i < 10; i++) expect(forward()).to.deep.equal(first);
        expect(residentBytes(), String(model)).to.equal(before);
      }
      // A block called on a tensor its caller holds gives back only what it made itself.
      const block = new models.BasicBlock(8, 8, { dtype: 'float32', generator: new Generator(12) }).eval();
      const held = F.relu(randn([8, 8, 16, 16], { dtype: 'float32', generator: new Generator(13) }));
      const expected = Array.from(held.values());
      for (let i = 0; i < 5; i++) noGrad(() => block.forward(held));
      expect(Array.from(held.values())).to.deep.equal(expected);
    });
  });

  it('a Sequential holding a layer that keeps its input leaves that input alone, nested or not', () => {
    class Keeper extends nn.Module {
      kept: Tensor[] = [];
      override forward(x: Tensor): Tensor {
        this.kept.push(x);
        return F.relu(x);
      }
    }
    onWasm(() => {
      const keeper = new Keeper();
      const model = new nn.Sequential(new nn.Linear(64, 128, { dtype: 'float32' }), new nn.Sequential(keeper), new nn.ReLU());
      const x = randn([64, 64], { dtype: 'float32' });
      const seen = (): number[][] => keeper.kept.map((t) => Array.from(t.values()));
      model.forward(x).sum().backward();
      noGrad(() => model.forward(x));
      const first = seen();
      for (let i = 0; i < 4; i++) model.forward(x).sum().backward();
      expect(seen().slice(0, 2)).to.deep.equal(first);
    });
  });

  it('inference through an nn.Sequential without a graph reuses its blocks call after call', () => {
    onWasm(() => {
      const model = models.smallCnn({ dtype: 'float32', generator: new Generator(5) }).eval();
      const x = randn([16, 1, 28, 28], { dtype: 'float32' });
      const forward = (): Tensor => noGrad(() => model.forward(x));
      const first = forward().toArray();
      const before = residentBytes();
      for (let i = 0; i < 20; i++) expect(forward().toArray()).to.deep.equal(first);
      expect(residentBytes()).to.equal(before);
    });
  });

  it('an activation reached through gradFn.inputs after backward released the graph throws on use; with retainGraph it reads', () => {
    onWasm(() => {
      const model = new nn.Sequential(
        new nn.Linear(64, 128, { dtype: 'float32' }),
        new nn.ReLU(),
        new nn.Linear(128, 4, { dtype: 'float32' }),
      );
      const x = randn([64, 64], { dtype: 'float32' });
      const retained = model.forward(x);
      retained.sum().backward(undefined, { retainGraph: true });
      const hidden = (retained.gradFn?.inputs ?? []).find((t) => t !== null && t.shape[1] === 128);
      expect(hidden?.toArray()).to.be.an('array');
      const output = model.forward(x);
      output.sum().backward();
      const freed = (output.gradFn?.inputs ?? []).find((t) => t !== null && t.shape[1] === 128);
      expect(() => freed?.data).to.throw('whose memory was reused after backward released the graph');
    });
  });

  it("max pooling's argmax lives there and comes back once nothing can read it: at once without a graph, at backward with one", () => {
    onWasm(() => {
      // 2·8·32·32 inputs: output and argmax are 4096 values each (16 KiB), large enough to live there.
      const x = randn([2, 8, 32, 32], { dtype: 'float32', requiresGrad: true });
      const blockBytes = 4096 * 4;
      const before = residentBytes();
      const unrecorded = noGrad(() => F.maxPool2d(x, 2));
      expect(residentBytes() - before, 'without a graph only the output stays').to.equal(blockBytes);
      const y = F.maxPool2d(x, 2);
      expect(residentBytes() - before, 'with a graph the argmax stays for backward').to.equal(3 * blockBytes);
      const gy = randn([2, 8, 16, 16], { dtype: 'float32' });
      const expected = withBackend('js', () => grad(F.maxPool2d(x, 2), [x], gy)[0]!.toArray());
      expect(grad(y, [x], gy, { retainGraph: true })[0]!.toArray(), 'a retained graph keeps it').to.deep.equal(expected);
      expect(grad(y, [x], gy)[0]!.toArray()).to.deep.equal(expected);
      expect(residentBytes() - before, 'backward released the node: its argmax went back').to.equal(2 * blockBytes);
      expect(unrecorded.shape).to.deep.equal(y.shape);
    });
  });

  it("max pooling's argmax outlives a backward that records a graph: the gradient of the gradient reads it", () => {
    const secondOrder = (): number[] => {
      const x = randn([2, 8, 32, 32], { dtype: 'float32', requiresGrad: true, generator: new Generator(3) });
      const gy = randn([2, 8, 16, 16], { dtype: 'float32', requiresGrad: true, generator: new Generator(4) });
      const [dx] = grad(F.maxPool2d(x, 2), [x], gy, { createGraph: true, retainGraph: false });
      // That backward released maxPool2d's node, but its own recorded op still holds the argmax:
      // ops of the argmax's size would take its block, were it given back, and write over it.
      const fillers = Array.from({ length: 4 }, () => randn([4096], { dtype: 'float32' }).mul(1e6));
      const [dgy] = grad(dx!.mul(dx!).sum(), [gy]);
      expect(fillers).to.have.length(4);
      return dgy!.toArray() as number[];
    };
    expect(onWasm(secondOrder)).to.deep.equal(withBackend('js', secondOrder));
  });

  it('releaseMemory() leaves the tensors living in the old memory correct, and later calls start in the new one', () => {
    onWasm(() => {
      const x = randn([4, 8, 16, 16], { dtype: 'float32' });
      const y = F.relu(x);
      const expected = withBackend('js', () => F.maxPool2d(y, 2)).toArray();
      releaseMemory();
      expect(F.maxPool2d(y, 2).toArray()).to.deep.equal(expected);
      expect(isResident(F.relu(x).nd.data)).to.equal(true);
    });
  });
});
