import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BackendName, type DType, gradcheck, manualSeed, nn, ones, rand, randn, tensor, withBackend, zeros } from '../index';
import { batchNorm } from '../lib/ops/batchnorm';
import { batchNormKernels } from '../kernels/batchnorm';
import { jsBatchNorm } from '../kernels/batchnorm/js';
import { referenceBatchNorm } from '../kernels/batchnorm/reference';
import { expectAllClose } from './helpers/close';
import { transposedLeaf } from './helpers/inputs';
import { gpujsBatchNorm } from '../kernels/batchnorm/gpujs';
import { wasmBatchNorm } from '../kernels/batchnorm/wasm';

interface FixtureStep {
  input: number[];
  upstream: number[];
  output: number[];
  dx: number[];
  dweight: number[];
  dbias: number[];
  runningMean?: number[];
  runningVar?: number[];
  numBatchesTracked?: number;
}

interface FixtureScenario {
  /** The PyTorch layer that made it: BatchNorm1d, BatchNorm2d or BatchNorm3d. */
  layer: 'BatchNorm1d' | 'BatchNorm2d' | 'BatchNorm3d';
  shape: number[];
  momentum: number | null;
  eps: number;
  trackRunningStats: boolean;
  weight: number[];
  bias: number[];
  steps: FixtureStep[];
  evalInput: number[];
  evalOutput: number[];
}

/** Produced by scripts/fixtures/batchnorm.py with PyTorch's nn.BatchNorm1d/2d/3d in float64. */
const fixtures = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'batchnorm.json'), 'utf8')) as {
  torchVersion: string;
  scenarios: Record<string, FixtureScenario>;
};

const backends: readonly BackendName[] = ['reference', 'js', 'wasm'];
const exact = { rtol: 1e-10, atol: 1e-10 };

describe('batchNorm', () => {
  beforeEach(() => manualSeed(3));

  it('selects a kernel table per backend (reference and js are different code)', () => {
    expect(withBackend('reference', batchNormKernels)).to.equal(referenceBatchNorm);
    expect(withBackend('js', batchNormKernels)).to.equal(jsBatchNorm);
    expect(withBackend('gpu.js', batchNormKernels)).to.equal(gpujsBatchNorm);
    expect(withBackend('wasm', batchNormKernels)).to.equal(wasmBatchNorm);
  });

  describe(`matches PyTorch ${fixtures.torchVersion} (test/fixtures/batchnorm.json)`, () => {
    for (const backend of backends) {
      for (const [name, s] of Object.entries(fixtures.scenarios)) {
        it(`${name} (${backend}): outputs, gradients and running stats over ${s.steps.length} steps, then eval`, () => {
          withBackend(backend, () => {
            const channels = s.shape[1];
            const weight = tensor(s.weight, { requiresGrad: true });
            const bias = tensor(s.bias, { requiresGrad: true });
            const runningMean = s.trackRunningStats ? zeros([channels]) : null;
            const runningVar = s.trackRunningStats ? ones([channels]) : null;
            const numBatchesTracked = s.trackRunningStats ? zeros([]) : null;
            s.steps.forEach((step, k) => {
              const x = tensor(step.input, { shape: s.shape, requiresGrad: true });
              weight.grad = null;
              bias.grad = null;
              const y = batchNorm(x, runningMean, runningVar, weight, bias, true, s.momentum, s.eps, numBatchesTracked);
              y.backward(tensor(step.upstream, { shape: s.shape }));
              expectAllClose(y.data, step.output, exact, `step ${k} output`);
              expectAllClose(x.grad!.data, step.dx, exact, `step ${k} dx`);
              expectAllClose(weight.grad!.data, step.dweight, exact, `step ${k} dweight`);
              expectAllClose(bias.grad!.data, step.dbias, exact, `step ${k} dbias`);
              if (s.trackRunningStats) {
                expectAllClose(runningMean!.data, step.runningMean!, exact, `step ${k} running_mean`);
                expectAllClose(runningVar!.data, step.runningVar!, exact, `step ${k} running_var`);
                expect(numBatchesTracked!.item(), `step ${k} num_batches_tracked`).to.equal(step.numBatchesTracked);
              }
            });
            const evalOutput = batchNorm(
              tensor(s.evalInput, { shape: s.shape }),
              runningMean,
              runningVar,
              weight,
              bias,
              false,
              s.momentum,
              s.eps,
            );
            expectAllClose(evalOutput.data, s.evalOutput, exact, 'eval output');
          });
        });
      }
    }

    for (const [name, s] of Object.entries(fixtures.scenarios)) {
      it(`${name}: through nn.${s.layer}, with PyTorch's state-dict keys and values`, () => {
        const layer = new nn[s.layer](s.shape[1], { momentum: s.momentum, eps: s.eps, trackRunningStats: s.trackRunningStats });
        layer.weight!.data.set(s.weight);
        layer.bias!.data.set(s.bias);
        for (const [k, step] of s.steps.entries()) {
          const x = tensor(step.input, { shape: s.shape, requiresGrad: true });
          layer.zeroGrad();
          const y = layer.forward(x);
          y.backward(tensor(step.upstream, { shape: s.shape }));
          expectAllClose(y.data, step.output, exact, `step ${k} output`);
          expectAllClose(x.grad!.data, step.dx, exact, `step ${k} dx`);
          expectAllClose(layer.weight!.grad!.data, step.dweight, exact, `step ${k} dweight`);
        }
        const state = layer.stateDict();
        const last = s.steps[s.steps.length - 1];
        if (s.trackRunningStats) {
          expect(Object.keys(state)).to.deep.equal(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
          expectAllClose(state.running_mean.data, last.runningMean!, exact, 'running_mean');
          expectAllClose(state.running_var.data, last.runningVar!, exact, 'running_var');
          expect(state.num_batches_tracked.item()).to.equal(last.numBatchesTracked);
          expect(state.num_batches_tracked.shape, 'num_batches_tracked is 0-d, as in PyTorch').to.deep.equal([]);
        } else {
          expect(Object.keys(state)).to.deep.equal(['weight', 'bias']);
        }
        layer.eval();
        expectAllClose(layer.forward(tensor(s.evalInput, { shape: s.shape })).data, s.evalOutput, exact, 'eval output');
      });
    }
  });

  describe('gradcheck (float64, reference backend)', () => {
    const shapes = [
      [6, 3],
      [3, 2, 4],
      [2, 3, 3, 2],
      [2, 3, 2, 1, 3],
    ];
    for (const shape of shapes) {
      const channels = shape[1];
      const leaves = () => [
        randn(shape, { requiresGrad: true }),
        rand([channels]).add(0.5).requiresGrad_(),
        randn([channels], { requiresGrad: true }),
      ];
      it(`training ${JSON.stringify(shape)}: w.r.t. input, weight and bias`, () => {
        const runningMean = zeros([channels]);
        const runningVar = ones([channels]);
        withBackend('reference', () => gradcheck((x, w, b) => batchNorm(x, runningMean, runningVar, w, b, true), leaves()));
      });
      it(`eval ${JSON.stringify(shape)} (running stats): w.r.t. input, weight and bias`, () => {
        const runningMean = randn([channels]);
        const runningVar = rand([channels]).add(0.5);
        withBackend('reference', () => gradcheck((x, w, b) => batchNorm(x, runningMean, runningVar, w, b, false), leaves()));
      });
    }

    it('training without affine parameters or running buffers, on a transposed input', () => {
      const x = transposedLeaf(randn([3, 5]).mul(3).add(2));
      expect(x.isContiguous).to.equal(false);
      withBackend('reference', () => gradcheck((t) => batchNorm(t, null, null, null, null, true), [x]));
    });
  });

  describe('js and wasm agree with the reference', () => {
    const tolerances: Record<DType, { rtol: number; atol: number }> = {
      float64: { rtol: 1e-11, atol: 1e-12 },
      float32: { rtol: 1e-5, atol: 1e-5 },
    };
    const shapes = [
      [16, 10],
      [7, 5, 9],
      [8, 4, 6, 6],
      [3, 16, 5, 7],
      [3, 4, 3, 2, 5],
    ];
    for (const fastBackend of ['js', 'wasm'] as const) {
      for (const dtype of ['float64', 'float32'] as const) {
        for (const shape of shapes) {
          for (const training of [true, false]) {
            it(`${JSON.stringify(shape)} ${dtype} ${training ? 'training' : 'eval'} (${fastBackend}): output, gradients, running stats`, () => {
              const channels = shape[1];
              const x = randn(shape, { dtype }).mul(2).add(3);
              const weight = rand([channels], { dtype }).add(0.5);
              const bias = randn([channels], { dtype });
              const upstream = randn(shape, { dtype });
              const run = (backend: BackendName) =>
                withBackend(backend, () => {
                  const leaves = [x, weight, bias].map((t) => t.detach().requiresGrad_());
                  const runningMean = tensor(
                    [...Array(channels).keys()].map((c) => c / 10),
                    { dtype },
                  );
                  const runningVar = ones([channels], { dtype }).mul(1.5);
                  const y = batchNorm(leaves[0], runningMean, runningVar, leaves[1], leaves[2], training, 0.2);
                  y.backward(upstream);
                  return [y, ...leaves.map((t) => t.grad!), runningMean, runningVar];
                });
              const fast = run(fastBackend);
              const reference = run('reference');
              const names = ['output', 'dx', 'dweight', 'dbias', 'running_mean', 'running_var'];
              fast.forEach((t, i) => {
                expect(t.dtype, names[i]).to.equal(dtype);
                expectAllClose(t.data, reference[i].data, tolerances[dtype], names[i]);
              });
            });
          }
        }
      }
    }
  });

  describe('semantics', () => {
    it('normalizes with biased batch statistics and stores the unbiased variance', () => {
      const x = tensor([
        [1, 10],
        [3, 20],
        [5, 60],
      ]);
      const runningMean = zeros([2]);
      const runningVar = ones([2]);
      const y = batchNorm(x, runningMean, runningVar, null, null, true, 1, 0);
      // Channel 0: μ = 3, biased var = 8/3, unbiased var = 4.
      const sigma = Math.sqrt(8 / 3);
      expectAllClose(
        y.data.filter((_, i) => i % 2 === 0),
        [-2 / sigma, 0, 2 / sigma],
        exact,
        'channel 0',
      );
      expectAllClose(runningMean.data, [3, 30], exact, 'running_mean (momentum 1)');
      expectAllClose(runningVar.data, [4, 700], exact, 'running_var (momentum 1)');
    });

    it('eps keeps a constant channel finite: y = β', () => {
      const y = batchNorm(
        tensor([
          [2, 1],
          [2, 3],
        ]),
        null,
        null,
        null,
        tensor([0.5, 0]),
        true,
      );
      expect(Array.from(y.data)).to.deep.equal([0.5, -0.9999950000374997, 0.5, 0.9999950000374997]);
    });

    it('eps = 0 on a constant channel in training: y = β and zero gradients, as PyTorch (1/σ taken as 0)', () => {
      const x = tensor(
        [
          [2, 1],
          [2, 3],
        ],
        { requiresGrad: true },
      );
      const weight = tensor([1.5, 1], { requiresGrad: true });
      const y = batchNorm(x, null, null, weight, tensor([0.5, 0]), true, 0.1, 0);
      expect(Array.from(y.data)).to.deep.equal([0.5, -1, 0.5, 1]);
      y.backward(
        tensor([
          [1, 2],
          [3, 4],
        ]),
      );
      expect(
        Array.from(x.grad!.data, (v) => v + 0),
        '±0',
      ).to.deep.equal([0, 0, 0, 0]);
      expect(weight.grad!.data[0]).to.equal(0);
    });

    it('uses batch statistics in eval when there are no running buffers (trackRunningStats = false)', () => {
      const x = randn([4, 3, 2, 2]);
      const evalOutput = batchNorm(x, null, null, null, null, false);
      const trainOutput = batchNorm(x, null, null, null, null, true);
      expectAllClose(evalOutput.data, trainOutput.data, exact, 'eval with batch stats');
      const withRunningStats = batchNorm(x, zeros([3]), ones([3]), null, null, false, 0.1, 0);
      expectAllClose(withRunningStats.data, x.data, exact, 'eval with running stats 0 and 1 is the identity');
    });

    it('counts batches only in training with running buffers; momentum null averages all batches', () => {
      const runningMean = zeros([1]);
      const runningVar = ones([1]);
      const count = zeros([]);
      const batches = [
        [[1], [3]],
        [[10], [20]],
        [[-4], [0]],
      ];
      for (const b of batches) batchNorm(tensor(b), runningMean, runningVar, null, null, true, null, 1e-5, count);
      expect(count.item()).to.equal(3);
      expectAllClose(runningMean.data, [(2 + 15 - 2) / 3], exact, 'cumulative running_mean');
      expectAllClose(runningVar.data, [(2 + 50 + 8) / 3], exact, 'cumulative running_var');
      batchNorm(tensor([[1], [2]]), runningMean, runningVar, null, null, false, null, 1e-5, count);
      expect(count.item(), 'eval does not count').to.equal(3);
      batchNorm(tensor([[1], [2]]), runningMean, runningVar, null, null, true, 0.1, 1e-5, count);
      expect(count.item(), 'a fixed momentum still counts').to.equal(4);
    });

    it('keeps the input dtype (float32) with float64 parameters', () => {
      const y = batchNorm(randn([4, 2], { dtype: 'float32' }), null, null, ones([2]), zeros([2]), true);
      expect(y.dtype).to.equal('float32');
    });
  });

  it('loads a one-element [1] num_batches_tracked (older checkpoints) into its 0-d buffer, as PyTorch does', () => {
    const layer = new nn.BatchNorm2d(2, { dtype: 'float64' });
    const state = { ...layer.stateDict(), num_batches_tracked: tensor([7], { dtype: 'float64' }) };
    layer.loadStateDict(state);
    expect(layer.numBatchesTracked!.item()).to.equal(7);
    expect(() => layer.loadStateDict({ ...state, num_batches_tracked: tensor([7, 8], { dtype: 'float64' }) })).to.throw(
      'loadStateDict: num_batches_tracked has shape [2] in the state dict, [] in the module',
    );
  });

  describe('errors', () => {
    it('names the shapes when a per-channel tensor has the wrong size', () => {
      const x = randn([2, 3, 4, 4]);
      expect(() => batchNorm(x, zeros([3]), ones([3]), ones([4]), null, true)).to.throw(
        'batchNorm: weight has shape [4] but the input [2,3,4,4] has 3 channels (expected [3])',
      );
      expect(() => batchNorm(x, zeros([2]), ones([3]), null, null, true)).to.throw(
        'batchNorm: runningMean has shape [2] but the input [2,3,4,4] has 3 channels',
      );
      expect(() => batchNorm(x, zeros([3]), ones([3, 1]), null, null, false)).to.throw('batchNorm: runningVar has shape [3,1]');
    });

    it('needs more than one value per channel when using batch statistics', () => {
      expect(() => batchNorm(randn([1, 3]), zeros([3]), ones([3]), null, null, true)).to.throw(
        'batchNorm: Expected more than 1 value per channel when training, got input shape [1,3]',
      );
      expect(() => batchNorm(randn([1, 3, 1, 1]), null, null, null, null, false)).to.throw('Expected more than 1 value per channel');
      expect(batchNorm(randn([1, 3]), zeros([3]), ones([3]), null, null, false).shape).to.deep.equal([1, 3]);
    });

    it('rejects inputs that are not 2-D to 5-D', () => {
      expect(() => batchNorm(randn([5]), null, null, null, null, true)).to.throw(
        'batchNorm: expected a 2-D (N,C), 3-D (N,C,L), 4-D (N,C,H,W) or 5-D (N,C,D,H,W) input, got shape [5]',
      );
      expect(() => batchNorm(randn([2, 2, 2, 2, 2, 2]), null, null, null, null, true)).to.throw('got shape [2,2,2,2,2,2]');
    });

    it('one eps rule for F.batchNorm and the layers: finite and ≥ 0 (0 allowed, as PyTorch)', () => {
      for (const eps of [-1, NaN, Infinity]) {
        expect(() => batchNorm(randn([4, 2]), null, null, null, null, true, 0.1, eps), `F ${eps}`).to.throw(
          RangeError,
          `batchNorm: eps must be a finite number ≥ 0, got ${eps}`,
        );
        for (const Layer of [nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d]) {
          expect(() => new Layer(2, { eps }), `${Layer.name} ${eps}`).to.throw(
            RangeError,
            `${Layer.name}: eps must be a finite number ≥ 0, got ${eps}`,
          );
        }
      }
      expect(new nn.BatchNorm2d(2, { eps: 0 }).eps).to.equal(0);
      expect(batchNorm(randn([4, 2]), null, null, null, null, true, 0.1, 0).shape).to.deep.equal([4, 2]);
    });

    it('one momentum rule for F.batchNorm and the layers: in [0, 1] or null (a running average, not an extrapolation)', () => {
      for (const momentum of [-0.1, 2, NaN, Infinity]) {
        expect(() => batchNorm(randn([4, 2]), zeros([2]), ones([2]), null, null, true, momentum, 1e-5), `F ${momentum}`).to.throw(
          RangeError,
          `batchNorm: momentum must be in [0, 1] or null, got ${momentum}`,
        );
        for (const Layer of [nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d]) {
          expect(() => new Layer(2, { momentum }), `${Layer.name} ${momentum}`).to.throw(
            RangeError,
            `${Layer.name}: momentum must be in [0, 1] or null, got ${momentum}`,
          );
        }
      }
      expect(batchNorm(randn([4, 2]), zeros([2]), ones([2]), null, null, true, 1, 1e-5).shape).to.deep.equal([4, 2]);
    });

    it('each layer takes only its own ranks, as PyTorch', () => {
      expect(() => new nn.BatchNorm3d(3).forward(randn([2, 3, 4, 4]))).to.throw('BatchNorm3d: expected a 5-D input, got shape [2,3,4,4]');
      expect(() => new nn.BatchNorm2d(3).forward(randn([2, 3, 2, 2, 2]))).to.throw(
        'BatchNorm2d: expected a 4-D input, got shape [2,3,2,2,2]',
      );
      expect(new nn.BatchNorm3d(3).forward(randn([2, 3, 2, 2, 2])).shape).to.deep.equal([2, 3, 2, 2, 2]);
      expect(String(new nn.BatchNorm3d(3))).to.equal('BatchNorm3d(3, eps=0.00001, momentum=0.1, affine=true, trackRunningStats=true)');
    });

    it('rejects inconsistent buffers and momentum null without a batch count', () => {
      expect(() => batchNorm(randn([4, 2]), zeros([2]), null, null, null, true)).to.throw(
        'batchNorm: runningMean and runningVar must both be given or both be null',
      );
      expect(() => batchNorm(randn([4, 2]), zeros([2]), ones([2]), null, null, true, null)).to.throw(
        'batchNorm: momentum null (cumulative moving average) needs numBatchesTracked',
      );
      expect(() => batchNorm(randn([4, 2]), zeros([2], { requiresGrad: true }), ones([2]), null, null, true)).to.throw(
        'batchNorm: runningMean is a buffer',
      );
    });

    it('never half-updates the buffers when an argument is invalid', () => {
      const runningMean = tensor([1, 2]);
      const runningVar = tensor([3, 4]);
      const count = tensor(5);
      expect(() => batchNorm(randn([4, 2]), runningMean, runningVar, ones([2]), ones([3]), true, 0.1, 1e-5, count)).to.throw(
        'bias has shape [3]',
      );
      expect(() => batchNorm(randn([4, 2]), runningMean, runningVar, ones([2]), ones([2]), true, 0.1, -1, count)).to.throw('eps must be');
      expect(runningMean.toArray()).to.deep.equal([1, 2]);
      expect(runningVar.toArray()).to.deep.equal([3, 4]);
      expect(count.item()).to.equal(5);
    });
  });
});
