import { expect } from 'chai';
import { Generator, optim, Tensor } from '../index';
import { allocateForKernels } from '../base/dtype';
import { type AdamSettings, type AdamSlot, adamFactors } from '../kernels/adam';
import { jsAdam } from '../kernels/adam/js';
import { wasmAdam } from '../kernels/adam/wasm';
import { withBackend } from '../kernels/backend';
import { wasmInstance } from '../kernels/wasm/instance';
import { isResident, residentBytes } from '../kernels/wasm/resident-storage';
import { parallelCalls, poisonWasmMemory } from './helpers/wasm';
import { describeEachWasmModule } from './helpers/wasm-modules';
import { expectSameBits, withThreads } from './helpers/wasm-threads';

/**
 * Lengths of the parameters of one step: empty, single, odd and four-lane-unaligned ones, long ones
 * past the size that lives in the wasm memory, and many small ones, so that the threads' runs
 * start and end inside parameters and span several. They total over two threads' minimum.
 */
const lengths = [0, 1, 2, 3, 4, 5, 7, 9, 33, 4096, 4099, 20001, 1, 6, 40000, ...Array.from({ length: 60 }, (_, i) => (i * 7) % 23)];

const settings: AdamSettings[] = [
  { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, decoupledDecay: false, step: 1 },
  { lr: 3e-2, betas: [0.8, 0.99], eps: 1e-6, weightDecay: 0.1, decoupledDecay: false, step: 7 },
  { lr: 1e-2, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.01, decoupledDecay: true, step: 3 },
  { lr: 0.5, betas: [0, 0.5], eps: 0, weightDecay: 0, decoupledDecay: false, step: 1000 },
];

function randomValues(n: number, rng: Generator, low: number, high: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.uniform(low, high));
}

/** Random slots; with `resident`, arrays long enough live in the wasm memory (on the wasm backend). */
function randomSlots(rng: Generator, resident: boolean): AdamSlot[] {
  const place = (values: Float32Array): Float32Array => {
    if (!resident) return values;
    const array = withBackend('wasm', () => allocateForKernels('float32', values.length) as Float32Array);
    array.set(values);
    return array;
  };
  return lengths.map((n) => {
    const grad = randomValues(n, rng, -2, 2);
    // Zero gradients of both signs: λθ added to −0 must round as the js sum does.
    if (n > 2) [grad[0], grad[1]] = [-0, 0];
    return {
      param: place(randomValues(n, rng, -1, 1)),
      grad: place(grad),
      expAvg: place(randomValues(n, rng, -0.1, 0.1)),
      expAvgSq: place(randomValues(n, rng, 0, 0.01)),
    };
  });
}

/** Ordinary copies of `slots`' arrays. */
const copyOf = (slots: readonly AdamSlot[]): AdamSlot[] =>
  slots.map(({ param, grad, expAvg, expAvgSq }) => ({
    param: param.slice(),
    grad: grad.slice(),
    expAvg: expAvg.slice(),
    expAvgSq: expAvgSq.slice(),
  }));

const written = (slots: readonly AdamSlot[]): Float32Array[] =>
  slots.flatMap(({ param, expAvg, expAvgSq }) => [param, expAvg, expAvgSq] as Float32Array[]);

describeEachWasmModule('Adam wasm kernel', () => {
  settings.forEach((s, index) => {
    for (const resident of [false, true]) {
      for (const threads of [1, 2]) {
        it(`gives bitwise the js update: ${JSON.stringify(s)}, ${resident ? 'resident' : 'copied'} operands, ${threads} thread(s)`, () => {
          const slots = randomSlots(new Generator(7100 + index), resident);
          const expected = copyOf(slots);
          jsAdam.step(expected, adamFactors(s));
          expect(slots.every(({ param }) => isResident(param) === (resident && param.length >= 4096))).to.equal(true);
          const sharedBefore = parallelCalls();
          withThreads(threads, () => {
            poisonWasmMemory();
            wasmAdam.step(slots, adamFactors(s));
          });
          expect(parallelCalls() - sharedBefore, 'calls shared with a worker').to.equal(threads - 1);
          expectSameBits(written(slots), written(expected));
        });
      }
    }
  });

  it('updates parameters whose memory overlaps another parameter or gradient as the js loop does, one after another', () => {
    const rng = new Generator(7200);
    const memory = randomValues(9000, rng, -1, 1);
    const shared = (): AdamSlot[] => {
      const copy = memory.slice();
      const [a, b] = [copy.subarray(0, 5000), copy.subarray(4000, 9000)];
      const state = () => [randomValues(5000, new Generator(7201), -0.1, 0.1), randomValues(5000, new Generator(7202), 0, 0.01)];
      const [[ma, va], [mb, vb]] = [state(), state()];
      // b's gradient is a's values, a's gradient is its own memory.
      return [
        { param: a, grad: a, expAvg: ma, expAvgSq: va },
        { param: b, grad: a, expAvg: mb, expAvgSq: vb },
      ];
    };
    const [actual, expected] = [shared(), shared()];
    jsAdam.step(expected, adamFactors(settings[1]));
    withThreads(2, () => wasmAdam.step(actual, adamFactors(settings[1])));
    const bits = (slots: AdamSlot[]): ArrayBufferView[] => [
      new Float32Array(slots[0].param.buffer),
      ...slots.flatMap(({ expAvg, expAvgSq }) => [expAvg, expAvgSq]),
    ];
    expectSameBits(bits(actual), bits(expected));
  });
});

describeEachWasmModule('optim.Adam on the wasm backend', () => {
  /** Float32 parameters of `lengths` and three steps' gradients, the same for every run. */
  function train(backend: 'js' | 'wasm', make: (params: Tensor[]) => optim.Adam, threads: number): Float32Array[] {
    return withBackend(backend, () =>
      withThreads(threads, () => {
        const rng = new Generator(7300);
        const params = lengths.map((n) => Tensor.fromData(randomValues(n, rng, -1, 1), [n], true));
        const opt = make(params);
        for (let step = 0; step < 3; step++) {
          // One parameter has no gradient in the second step: it must be left alone.
          params.forEach((p, i) => {
            p.grad = step === 1 && i === 3 ? null : Tensor.fromData(randomValues(p.numel, rng, -1, 1), p.shape);
          });
          opt.step();
        }
        const state = opt.stateDict().buffers;
        return [
          ...params.map((p) => p.data as Float32Array),
          ...Object.values(state)
            .flat()
            .map((b) => Float32Array.from(b)),
        ];
      }),
    );
  }

  const optimizers: Array<[string, (params: Tensor[]) => optim.Adam]> = [
    ['Adam', (params) => new optim.Adam(params)],
    ['Adam with weight decay', (params) => new optim.Adam(params, { lr: 0.01, betas: [0.8, 0.9], eps: 1e-6, weightDecay: 0.05 })],
    ['AdamW', (params) => new optim.AdamW(params, { lr: 0.02 })],
  ];
  for (const [name, make] of optimizers) {
    it(`${name}: the same float32 parameters and state as on the js backend, on 1 and 2 threads`, () => {
      const expected = train('js', make, 1);
      expectSameBits(train('wasm', make, 1), expected);
      const sharedBefore = parallelCalls();
      expectSameBits(train('wasm', make, 2), expected);
      // One kernel call per step updated all the parameters, on both threads.
      expect(parallelCalls() - sharedBefore, 'calls shared with a worker in three steps').to.equal(3);
    });
  }

  it('refuses a non-finite float32 gradient before updating any parameter', () => {
    withBackend('wasm', () => {
      const params = [8000, 5].map((n) => Tensor.fromData(new Float32Array(n).fill(0.5), [n], true));
      const opt = new optim.Adam(params);
      params[0].grad = Tensor.fromData(new Float32Array(8000).fill(1), [8000]);
      params[1].grad = Tensor.fromData(Float32Array.of(1, 1, Number.POSITIVE_INFINITY, 1, 1), [5]);
      expect(() => opt.step()).to.throw('Adam.step: parameter 1 has a non-finite gradient (Infinity at index 2); nothing was updated');
      expect(params.every((p) => p.values().every((v) => v === 0.5))).to.equal(true);
      expect(opt.stepCount).to.equal(0);
    });
  });

  it("keeps Adam's state in the wasm memory, and gives it back when a loaded state replaces it", () => {
    withBackend('wasm', () => {
      const p = Tensor.fromData(randomValues(5000, new Generator(7400), -1, 1), [5000], true);
      p.mul(p).sum().backward();
      const opt = new optim.Adam([p]);
      opt.step();
      expect(isResident(p.values()), 'the parameter, made by the user').to.equal(false);
      const { buffers } = opt as unknown as { buffers: Map<string, Float32Array[]> };
      for (const name of ['exp_avg', 'exp_avg_sq']) expect(isResident(buffers.get(name)![0]), name).to.equal(true);
      // The loaded state's buffers take the blocks the old ones gave back: no growth until a collection.
      const bytes = residentBytes(wasmInstance());
      opt.loadStateDict(opt.stateDict());
      opt.step();
      expect(residentBytes(wasmInstance()), 'resident bytes after loading a state and a step').to.equal(bytes);
      for (const name of ['exp_avg', 'exp_avg_sq']) expect(isResident(buffers.get(name)![0]), name).to.equal(true);
    });
  });
});
