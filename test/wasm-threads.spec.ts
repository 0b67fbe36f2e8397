/**
 * The wasm backend's threads: they really run (in Node, on worker threads), and the results do not
 * depend on how many there are — a training step and a conv-heavy mix of ops with one thread and
 * with two give bitwise the same parameters, loss and gradients (issue 11: "same sums in the same
 * order"). Each run starts from the same seed, so from the same weights and data.
 */
import { expect } from 'chai';
import {
  F,
  backendStatus,
  type Tensor,
  getNumThreads,
  linear,
  manualSeed,
  matmul,
  models,
  optim,
  randn,
  relu,
  setNumThreads,
  sum,
  tensor,
  wasmStatus,
  withBackend,
} from '../index';
import { parallelCalls, poisonWasmMemory, wasmWorkersReady } from './helpers/wasm';
import { describeEachWasmModule, expectedWasmSimd } from './helpers/wasm-modules';
import { expectSameBits, withThreads } from './helpers/wasm-threads';

interface Run {
  /** Named float32 results: the loss, parameters, outputs, gradients. */
  values: Map<string, Float32Array>;
  /** Kernel calls during the run that were shared with worker threads. */
  parallelCalls: number;
}

/** Runs `body` on the wasm backend with `threads` threads, copying out what it returns. */
function runWith(threads: number, body: () => Array<[string, Tensor]>): Run {
  return withThreads(threads, () => {
    poisonWasmMemory();
    const callsBefore = parallelCalls();
    const results = withBackend('wasm', body);
    const values = new Map<string, Float32Array>();
    for (const [name, t] of results) {
      expect(t.dtype, name).to.equal('float32');
      values.set(name, Float32Array.from(t.data));
    }
    return { values, parallelCalls: parallelCalls() - callsBefore };
  });
}

/** Bitwise equality of every named array: the bytes, not the values (so −0 ≠ 0 and NaN = NaN). */
function expectBitwiseEqual(one: Run, two: Run): void {
  expect([...two.values.keys()]).to.deep.equal([...one.values.keys()]);
  const names = [...one.values.keys()];
  expectSameBits(
    names.map((name) => two.values.get(name) as Float32Array),
    names.map((name) => one.values.get(name) as Float32Array),
    names,
  );
}

/** Two Adam steps of models.smallCnn in float32 on a batch of 16 digits-sized images. */
function smallCnnSteps(): Array<[string, Tensor]> {
  manualSeed(7);
  const model = models.smallCnn({ dtype: 'float32' });
  const x = randn([16, 1, 28, 28], { dtype: 'float32' });
  const y = tensor(Array.from({ length: 16 }, (_, i) => (i * 7) % 10));
  const optimizer = new optim.Adam(model.parameters(), { lr: 0.01 });
  const losses: Array<[string, Tensor]> = [];
  for (let step = 0; step < 2; step++) {
    optimizer.zeroGrad();
    const loss = F.crossEntropy(model.forward(x), y);
    loss.backward();
    optimizer.step();
    losses.push([`loss ${step}`, loss]);
  }
  return [...losses, ...model.namedParameters()];
}

/** Convolutions with stride, dilation, asymmetric padding, groups and depthwise, then linear and matmul; forward and backward. */
function convMix(): Array<[string, Tensor]> {
  manualSeed(8);
  const leaf = (shape: number[]): Tensor => randn(shape, { dtype: 'float32', requiresGrad: true });
  const x = leaf([6, 6, 17, 15]);
  const w1 = leaf([10, 3, 3, 3]);
  const b1 = leaf([10]);
  const w2 = leaf([10, 1, 3, 3]);
  const w3 = leaf([7, 10, 2, 2]);
  const wLinear = leaf([70, 7 * 9 * 17]);
  const m = leaf([70, 66]);
  let h = relu(F.conv2d(x, w1, b1, { groups: 2, stride: [2, 1], padding: [1, 2] }));
  h = relu(F.conv2d(h, w2, null, { groups: 10, dilation: 2, padding: 'same' }));
  h = F.conv2d(h, w3, null, { padding: 'same' });
  const out = matmul(linear(h.reshape([6, 7 * 9 * 17]), wLinear), m);
  const loss = sum(out.mul(out));
  loss.backward();
  const grads = [x, w1, b1, w2, w3, wLinear, m].map((t, i): [string, Tensor] => [`grad ${i}`, t.grad as Tensor]);
  return [['loss', loss], ['out', out], ...grads];
}

describe('wasm backend threads', () => {
  before(() => wasmWorkersReady(2));

  it('two threads run the kernels on a worker thread in Node', () => {
    const run = runWith(2, () => [['y', F.conv2d(randn([4, 3, 12, 12], { dtype: 'float32' }), randn([5, 3, 3, 3], { dtype: 'float32' }))]]);
    expect(run.parallelCalls, 'kernel calls shared with a worker thread').to.equal(1);
    const threadsBefore = getNumThreads();
    setNumThreads(2);
    try {
      expect(wasmStatus()).to.deep.include({ available: true, sharedMemory: true, threads: 2, workers: 1, readyWorkers: 1 });
      expect(wasmStatus()).not.to.have.property('singleThreadReason');
      const simd = expectedWasmSimd();
      expect(withBackend('wasm', backendStatus)).to.deep.equal({ selected: 'wasm', running: 'wasm', threads: 2, simd });
      setNumThreads(1);
      expect(withBackend('wasm', backendStatus)).to.deep.equal({ selected: 'wasm', running: 'wasm', threads: 1, simd });
      expect(withBackend('js', backendStatus)).to.deep.equal({ selected: 'js', running: 'js', threads: 1 });
    } finally {
      setNumThreads(threadsBefore);
    }
  });

  it("says in backendStatus()'s note when this Node has no threads (no process.getBuiltinModule: Node 18)", () => {
    const getBuiltinModule = Object.getOwnPropertyDescriptor(process, 'getBuiltinModule')!;
    Object.defineProperty(process, 'getBuiltinModule', { value: undefined, configurable: true });
    try {
      expect(withBackend('wasm', backendStatus).note).to.equal(
        `worker threads unavailable: Node ${process.versions.node} has no process.getBuiltinModule (Node 20.16, 22.3 and later have it)`,
      );
    } finally {
      Object.defineProperty(process, 'getBuiltinModule', getBuiltinModule);
    }
  });

  it('one thread shares no call', () => {
    const run = runWith(1, () => [['y', F.conv2d(randn([4, 3, 12, 12], { dtype: 'float32' }), randn([5, 3, 3, 3], { dtype: 'float32' }))]]);
    expect(run.parallelCalls).to.equal(0);
  });

  // Each module on its own: the relaxed one's fused multiply-adds round differently from the plain one's.
  describeEachWasmModule('1 and 2 threads', () => {
    for (const [what, body] of [
      ['two Adam steps of models.smallCnn({ dtype: "float32" }): losses and parameters', smallCnnSteps],
      ['a conv-heavy mix of ops: outputs, loss and every gradient', convMix],
    ] as const) {
      it(`${what} are bitwise the same with 1 and 2 threads`, () => {
        const one = runWith(1, body);
        const two = runWith(2, body);
        expect(one.parallelCalls, '1 thread').to.equal(0);
        // Without this the comparison could pass with both runs on one thread.
        expect(two.parallelCalls, 'kernel calls shared with a worker thread in the 2-thread run').to.be.greaterThan(5);
        expectBitwiseEqual(one, two);
      });
    }
  });
});
