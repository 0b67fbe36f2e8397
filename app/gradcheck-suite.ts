/**
 * The gradient-check suite as a product: one check per built-in differentiable op and layer
 * (every drop technique's op and its layer, in training mode with a fixed seed), in float64 on the
 * reference kernels, at first order (gradcheck) or second (gradgradcheck, as PyTorch checks its
 * ops with both). `dropgrad gradcheck [--order 2]` runs it; users can run it on their machine to
 * trust the build. test/gradcheck-coverage.spec.ts fails when an op in F or a layer class in nn has no entry
 * here (an entry covers the export its name starts with).
 */
import type { Tensor } from '../lib/tensor';
import { type GradcheckReport, gradcheck } from '../lib/gradcheck';
import { gradgradcheck } from '../lib/gradgradcheck';
import { withBackend } from '../kernels/backend';
import { defaultGenerator, manualSeed } from '../lib/random/generator';
import { rand, randn, tensor } from '../lib/creation';
import { formatShape, formatValue } from '../base/shape';
import { add, div, mul, neg, pow, sub } from '../lib/ops/arithmetic';
import { abs, clamp, exp, log, sqrt } from '../lib/ops/unary';
import { leakyRelu, relu, sigmoid, tanh } from '../lib/ops/activations';
import { max, mean, min, sum, variance } from '../lib/ops/reductions';
import { logSoftmax, softmax } from '../lib/ops/softmax';
import { crossEntropy, mseLoss } from '../lib/ops/losses';
import { matmul } from '../lib/ops/matmul';
import { linear } from '../lib/ops/linear';
import { contiguous, expand, permute, reshape, transpose } from '../lib/ops/views';
import { concat, stack } from '../lib/ops/join';
import { gather, indexSelect, slice } from '../lib/ops/indexing';
import { where } from '../lib/ops/where';
import { pad } from '../lib/ops/pad';
import { conv2d } from '../lib/ops/conv2d';
import { convTranspose2d } from '../lib/ops/conv-transpose2d';
import { adaptiveAvgPool2d, avgPool2d, maxPool2d } from '../lib/ops/pool2d';
import { batchNorm } from '../lib/ops/batchnorm';
import type { Module } from '../nn/module';
import { Linear } from '../nn/linear';
import { Conv2d } from '../nn/conv2d';
import { ConvTranspose2d } from '../nn/conv-transpose2d';
import { BatchNorm1d, BatchNorm2d, BatchNorm3d } from '../nn/batchnorm';
import { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d } from '../nn/pooling';
import { LeakyReLU, ReLU, Sigmoid, Tanh } from '../nn/activations';
import { Flatten } from '../nn/flatten';
import { Identity } from '../nn/identity';
import { Sequential } from '../nn/containers';
import { Dropout, bernoulliKeepMask, dropout } from '../nn/drop/dropout';
import { Dropout2d, dropout2d } from '../nn/drop/dropout2d';
import { GaussianDropout, gaussianDropout } from '../nn/drop/gaussian-dropout';
import { Uout, uout } from '../nn/drop/uout';
import { AlphaDropout, alphaDropout } from '../nn/drop/alpha-dropout';
import { DropConnectLinear, dropConnectOp } from '../nn/drop/drop-connect';
import { DropBlock2d, dropBlock2d } from '../nn/drop/dropblock';
import { DropPath, dropPath } from '../nn/drop/drop-path';
import { Cutout, cutout } from '../nn/drop/cutout';
import { RandomErasing, randomErasing } from '../nn/drop/random-erasing';
import { BasicBlock } from '../nn/models/basic-block';
import { Bottleneck } from '../nn/models/bottleneck';

/** 1: first derivatives against finite differences of fn; 2: second ones, against finite differences of its gradients. */
export type GradcheckOrder = 1 | 2;
const checkerOfOrder = { 1: gradcheck, 2: gradgradcheck } as const;

export interface SuiteCheck {
  name: string;
  /** Builds the inputs (seeded) and runs the check at the given order. */
  run: (order: GradcheckOrder) => { shapes: string; report: GradcheckReport };
}

const SEED = 1234;
const leaf = (t: Tensor): Tensor => t.requiresGrad_();
const normal = (...shape: number[]): Tensor => leaf(randn(shape));
/** Uniform in [0.5, 1.5): away from 0 for log, sqrt, division and pow's base. */
const positive = (...shape: number[]): Tensor => leaf(add(rand(shape), 0.5).detach());
/** Distinct values spaced apart so max/relu/abs kinks are never straddled by ±eps. */
const spaced = (...shape: number[]): Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, (_, i) => (i - n / 2 + 0.37) * 0.1);
  for (let i = n - 1; i > 0; i--) {
    const j = defaultGenerator.integer(0, i + 1); // shuffles the order; values stay spaced
    [values[i], values[j]] = [values[j], values[i]];
  }
  return leaf(tensor(values, { shape }));
};

/** An op checked w.r.t. the inputs `inputs` builds; `seed` replays a drop op's mask under every perturbation. */
export function op(name: string, inputs: () => Tensor[], fn: (...t: Tensor[]) => Tensor): SuiteCheck {
  return {
    name,
    run: (order) => {
      manualSeed(SEED);
      const xs = inputs();
      return {
        shapes: xs.map((x) => formatShape(x.shape)).join(' '),
        report: checkerOfOrder[order](fn, xs, { raiseException: false, seed: SEED }),
      };
    },
  };
}

/**
 * A layer checked w.r.t. its input and every parameter, in training mode; `seed` reseeds the
 * default generator before every evaluation, so the layer draws the same mask each time.
 */
function layer(name: string, build: () => Module, inputShape: number[], seed = SEED): SuiteCheck {
  return {
    name,
    run: (order) => {
      manualSeed(seed);
      const module = build();
      const x = normal(...inputShape);
      const params = module.parameters();
      return {
        shapes: [x, ...params].map((t) => formatShape(t.shape)).join(' '),
        report: checkerOfOrder[order]((t: Tensor) => module.forward(t), [x, ...params], {
          raiseException: false,
          seed,
          fastMode: params.length > 2,
        }),
      };
    },
  };
}

export const gradcheckSuite: readonly SuiteCheck[] = [
  op('add (broadcast)', () => [normal(3, 4), normal(4)], add),
  op('sub (broadcast)', () => [normal(2, 3), normal(2, 1)], sub),
  op('mul (broadcast)', () => [normal(3, 4), normal(3, 1)], mul),
  op('div', () => [normal(3, 4), positive(4)], div),
  op('pow', () => [positive(3, 2), normal(2)], pow),
  op('neg', () => [normal(5)], neg),
  op('exp', () => [normal(2, 3)], exp),
  op('log', () => [positive(2, 3)], log),
  op('sqrt', () => [positive(2, 3)], sqrt),
  op('abs', () => [spaced(2, 3)], abs),
  op(
    'clamp',
    () => [spaced(3, 3)],
    (x) => clamp(x, { min: -0.145, max: 0.155 }),
  ),
  op('relu', () => [spaced(3, 4)], relu),
  op(
    'leakyRelu',
    () => [spaced(3, 4)],
    (x) => leakyRelu(x, 0.1),
  ),
  op('sigmoid', () => [normal(3, 4)], sigmoid),
  op('tanh', () => [normal(3, 4)], tanh),
  op(
    'softmax',
    () => [normal(3, 5)],
    (x) => softmax(x, 1),
  ),
  op(
    'logSoftmax',
    () => [normal(3, 5)],
    (x) => logSoftmax(x, -1),
  ),
  op(
    'sum (dim 1, keepdim)',
    () => [normal(3, 4)],
    (x) => sum(x, 1, true),
  ),
  op(
    'mean (all)',
    () => [normal(3, 4)],
    (x) => mean(x),
  ),
  op(
    'max (dim 0)',
    () => [spaced(4, 3)],
    (x) => max(x, 0),
  ),
  op(
    'min (dim 1, keepdim)',
    () => [spaced(3, 4)],
    (x) => min(x, 1, true),
  ),
  op(
    'variance (dim 1, unbiased)',
    () => [normal(3, 5)],
    (x) => variance(x, 1),
  ),
  op('matmul (batched, broadcast)', () => [normal(2, 3, 4), normal(4, 2)], matmul),
  op('linear', () => [normal(3, 4), normal(2, 4), normal(2)], linear),
  op(
    'reshape',
    () => [normal(2, 6)],
    (x) => reshape(x, [3, 4]),
  ),
  op(
    'transpose',
    () => [normal(2, 3)],
    (x) => transpose(x, 0, 1),
  ),
  op(
    'permute',
    () => [normal(2, 3, 4)],
    (x) => permute(x, [2, 0, 1]),
  ),
  op(
    'expand',
    () => [normal(3, 1)],
    (x) => expand(x, [3, 4]),
  ),
  op(
    'contiguous (of a transpose)',
    () => [normal(2, 3)],
    (x) => contiguous(transpose(x, 0, 1)),
  ),
  op(
    'concat',
    () => [normal(2, 3), normal(1, 3)],
    (a, b) => concat([a, b], 0),
  ),
  op(
    'stack',
    () => [normal(2, 3), normal(2, 3)],
    (a, b) => stack([a, b], 1),
  ),
  op(
    'slice (step 2)',
    () => [normal(5, 3)],
    (x) => slice(x, 0, 0, 5, 2),
  ),
  op(
    'indexSelect (repeats)',
    () => [normal(4, 3)],
    (x) => indexSelect(x, 0, [3, 0, 3]),
  ),
  op(
    'gather',
    () => [normal(3, 4)],
    (x) =>
      gather(
        x,
        1,
        tensor([
          [0, 3],
          [1, 1],
          [2, 0],
        ]),
      ),
  ),
  op(
    'where',
    () => [normal(3, 4), normal(4)],
    (a, b) =>
      where(
        tensor([
          [1, 0, 1, 0],
          [0, 0, 1, 1],
          [1, 1, 0, 0],
        ]),
        a,
        b,
      ),
  ),
  op(
    'pad (constant)',
    () => [normal(2, 3, 3)],
    (x) => pad(x, [1, 2, 0, 1]),
  ),
  op(
    'pad (reflect)',
    () => [normal(1, 2, 4)],
    (x) => pad(x, [2, 1], { mode: 'reflect' }),
  ),
  op(
    'crossEntropy (indices, label smoothing)',
    () => [normal(4, 5)],
    (x) => crossEntropy(x, tensor([0, 4, 2, 2]), { labelSmoothing: 0.1 }),
  ),
  op(
    'crossEntropy (soft targets)',
    () => [normal(3, 4), leaf(softmax(randn([3, 4]), 1).detach())],
    (x, t) => crossEntropy(x, t),
  ),
  op(
    'mseLoss',
    () => [normal(3, 4), normal(3, 4)],
    (a, b) => mseLoss(a, b),
  ),
  op(
    'conv2d (stride 2, padding 1)',
    () => [normal(2, 3, 5, 5), normal(4, 3, 3, 3), normal(4)],
    (x, w, b) => conv2d(x, w, b, { stride: 2, padding: 1 }),
  ),
  op(
    'conv2d (dilation 2, groups 2)',
    () => [normal(1, 4, 6, 5), normal(2, 2, 2, 2)],
    (x, w) => conv2d(x, w, null, { dilation: 2, groups: 2 }),
  ),
  op(
    "conv2d (depthwise, 'same')",
    () => [normal(1, 3, 4, 5), normal(3, 1, 3, 3)],
    (x, w) => conv2d(x, w, null, { padding: 'same', groups: 3 }),
  ),
  op(
    'convTranspose2d (stride 2, padding 1, outputPadding 1)',
    () => [normal(2, 3, 3, 3), normal(3, 4, 3, 3), normal(4)],
    (x, w, b) => convTranspose2d(x, w, b, { stride: 2, padding: 1, outputPadding: 1 }),
  ),
  op(
    'convTranspose2d (dilation 2, groups 2)',
    () => [normal(1, 4, 3, 4), normal(4, 1, 2, 2)],
    (x, w) => convTranspose2d(x, w, null, { dilation: 2, groups: 2 }),
  ),
  op(
    'maxPool2d (3, stride 2, padding 1)',
    () => [spaced(2, 2, 5, 5)],
    (x) => maxPool2d(x, 3, { stride: 2, padding: 1 }),
  ),
  op(
    'avgPool2d (ceilMode, countIncludePad false)',
    () => [normal(1, 2, 5, 5)],
    (x) => avgPool2d(x, 2, { ceilMode: true, padding: 1, countIncludePad: false }),
  ),
  op(
    'adaptiveAvgPool2d (3×2)',
    () => [normal(2, 2, 5, 4)],
    (x) => adaptiveAvgPool2d(x, [3, 2]),
  ),
  op(
    'batchNorm (training, 4-D)',
    () => [normal(3, 2, 2, 3), positive(2), normal(2)],
    (x, w, b) => batchNorm(x, null, null, w, b, true),
  ),
  // Every drop technique's op through its functional form, in training mode: `seed` reseeds the
  // default generator before each evaluation, so the same mask is replayed under every perturbation.
  op(
    'dropout (p 0.5)',
    () => [normal(4, 5)],
    (x) => dropout(x, 0.5),
  ),
  op(
    'dropout2d (p 0.5)',
    () => [normal(2, 3, 3, 3)],
    (x) => dropout2d(x, 0.5),
  ),
  op(
    'gaussianDropout (p 0.3)',
    () => [normal(3, 4)],
    (x) => gaussianDropout(x, 0.3),
  ),
  op(
    'uout (beta 0.5)',
    () => [normal(3, 4)],
    (x) => uout(x, 0.5),
  ),
  op(
    'alphaDropout (p 0.2)',
    () => [normal(3, 4)],
    (x) => alphaDropout(x, 0.2),
  ),
  op(
    'dropConnect (p 0.5, x W b)',
    () => [normal(2, 4), normal(3, 4), normal(3)],
    (x, w, b) => dropConnectOp(x, w, b, bernoulliKeepMask(w.shape, 0.5, w.dtype)),
  ),
  op(
    'dropBlock2d (p 0.3, block 3)',
    () => [normal(2, 2, 6, 6)],
    (x) => dropBlock2d(x, 0.3, { blockSize: 3 }),
  ),
  op(
    'dropPath (p 0.5, row)',
    () => [normal(4, 2, 2)],
    (x) => dropPath(x, 0.5),
  ),
  op(
    'cutout (length 3, 2 holes)',
    () => [normal(2, 1, 5, 5)],
    (x) => cutout(x, 3, { holes: 2 }),
  ),
  op(
    'randomErasing (p 1)',
    () => [normal(1, 2, 6, 6)],
    (x) => randomErasing(x, 1),
  ),
  layer('Linear', () => new Linear(4, 3), [2, 4]),
  layer('Conv2d', () => new Conv2d(2, 3, 3, { padding: 1 }), [2, 2, 4, 4]),
  layer('ConvTranspose2d', () => new ConvTranspose2d(2, 3, 3, { stride: 2, padding: 1 }), [2, 2, 3, 3]),
  layer('BatchNorm1d (training)', () => new BatchNorm1d(3), [4, 3]),
  layer('BatchNorm2d (training)', () => new BatchNorm2d(2), [3, 2, 3, 3]),
  layer('BatchNorm3d (training)', () => new BatchNorm3d(2), [2, 2, 2, 3, 2]),
  layer('MaxPool2d (2)', () => new MaxPool2d(2), [1, 2, 4, 4]),
  layer('AvgPool2d (2, stride 1)', () => new AvgPool2d(2, { stride: 1 }), [1, 2, 3, 3]),
  layer('AdaptiveAvgPool2d (2)', () => new AdaptiveAvgPool2d(2), [1, 2, 5, 5]),
  layer('ReLU', () => new ReLU(), [3, 4]),
  layer('LeakyReLU (0.1)', () => new LeakyReLU(0.1), [3, 4]),
  layer('Sigmoid', () => new Sigmoid(), [3, 4]),
  layer('Tanh', () => new Tanh(), [3, 4]),
  layer('Flatten', () => new Flatten(), [2, 2, 3]),
  layer('Identity', () => new Identity(), [2, 3]),
  layer('Sequential (Linear, Tanh, Linear)', () => new Sequential(new Linear(3, 4), new Tanh(), new Linear(4, 2)), [2, 3]),
  layer('Dropout (p 0.5)', () => new Dropout(0.5), [4, 5]),
  layer('Dropout2d (p 0.5)', () => new Dropout2d(0.5), [2, 3, 3, 3]),
  layer('GaussianDropout (p 0.3)', () => new GaussianDropout(0.3), [3, 4]),
  layer('Uout (beta 0.5)', () => new Uout(0.5), [3, 4]),
  layer('AlphaDropout (p 0.2)', () => new AlphaDropout(0.2), [3, 4]),
  layer('DropConnectLinear (p 0.5)', () => new DropConnectLinear(4, 3, 0.5), [2, 4]),
  layer('DropBlock2d (p 0.3, block 3)', () => new DropBlock2d(0.3, { blockSize: 3 }), [2, 2, 6, 6]),
  layer(
    'DropBlock2d (p 0.3, block 2, shared mask)',
    () => new DropBlock2d(0.3, { blockSize: 2, sharedAcrossChannels: true }),
    [2, 2, 5, 5],
  ),
  layer('DropPath (row)', () => new DropPath(0.5), [4, 2, 2]),
  layer('DropPath (batch)', () => new DropPath(0.5, { mode: 'batch' }), [4, 2, 2]),
  layer('Cutout (length 3)', () => new Cutout(3), [2, 1, 5, 5]),
  layer('RandomErasing (p 1)', () => new RandomErasing(1), [1, 2, 6, 6]),
  // With these seeds the block's one survival draw comes out "survive" and "drop" respectively.
  layer(
    'BasicBlock + stochastic depth (survives)',
    () => new BasicBlock(2, 2, { stochasticDepth: { survivalProb: 0.5 } }),
    [2, 2, 3, 3],
    1234,
  ),
  layer('BasicBlock + stochastic depth (dropped)', () => new BasicBlock(2, 2, { stochasticDepth: { survivalProb: 0.5 } }), [2, 2, 3, 3], 1),
  layer(
    'Bottleneck + stochastic depth (row)',
    () => new Bottleneck(4, 1, { stochasticDepth: { survivalProb: 0.5, mode: 'row' } }),
    [3, 4, 3, 3],
  ),
];

export interface SuiteResult {
  name: string;
  shapes: string;
  maxAbsError: number;
  maxRelError: number;
  passed: boolean;
  message: string;
}

/** Runs the checks whose name contains `filter` (case-insensitive) at `order`, on the reference kernels. */
export function runGradcheckSuite(filter = '', onResult?: (result: SuiteResult) => void, order: GradcheckOrder = 1): SuiteResult[] {
  const wanted = gradcheckSuite.filter((c) => c.name.toLowerCase().includes(filter.toLowerCase()));
  return runChecks(wanted, order, onResult);
}

/** Runs `checks` at `order` on the reference kernels, reporting each result as it comes. */
export function runChecks(checks: readonly SuiteCheck[], order: GradcheckOrder, onResult?: (result: SuiteResult) => void): SuiteResult[] {
  if (order !== 1 && order !== 2) throw new RangeError(`gradcheck suite: order must be 1 or 2, got ${formatValue(order)}`);
  return withBackend('reference', () =>
    checks.map((check) => {
      const { shapes, report } = check.run(order);
      const result = {
        name: check.name,
        shapes,
        maxAbsError: Math.max(...report.inputs.map((r) => r.maxAbsError)),
        maxRelError: Math.max(...report.inputs.map((r) => r.maxRelError)),
        passed: report.passed,
        message: report.message,
      };
      onResult?.(result);
      return result;
    }),
  );
}
