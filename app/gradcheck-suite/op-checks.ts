/**
 * The suite's op entries: every differentiable op in F, through its functional form, on inputs
 * away from its kinks; every drop technique's op in training mode.
 */
import { randn, tensor } from '../../lib/creation';
import { add, div, mul, neg, pow, sub } from '../../lib/ops/arithmetic';
import { abs, clamp, exp, log, sqrt } from '../../lib/ops/unary';
import { leakyRelu, relu, sigmoid, tanh } from '../../lib/ops/activations';
import { max, mean, min, sum, variance } from '../../lib/ops/reductions';
import { logSoftmax, softmax } from '../../lib/ops/softmax';
import { crossEntropy } from '../../lib/ops/cross-entropy';
import { mseLoss } from '../../lib/ops/mse-loss';
import { matmul } from '../../lib/ops/matmul';
import { linear } from '../../lib/ops/linear';
import { contiguous, expand, permute, reshape, transpose } from '../../lib/ops/views';
import { concat, stack } from '../../lib/ops/join';
import { gather, indexSelect, slice } from '../../lib/ops/indexing';
import { where } from '../../lib/ops/where';
import { pad } from '../../lib/ops/pad';
import { conv2d } from '../../lib/ops/conv2d';
import { convTranspose2d } from '../../lib/ops/conv-transpose2d';
import { adaptiveAvgPool2d, avgPool2d, maxPool2d } from '../../lib/ops/pool2d';
import { batchNorm } from '../../lib/ops/batchnorm';
import { bernoulliKeepMask, dropout } from '../../nn/drop/dropout';
import { dropout2d } from '../../nn/drop/dropout2d';
import { gaussianDropout } from '../../nn/drop/gaussian-dropout';
import { uout } from '../../nn/drop/uout';
import { alphaDropout } from '../../nn/drop/alpha-dropout';
import { dropConnectOp } from '../../nn/drop/drop-connect';
import { dropBlock2d } from '../../nn/drop/dropblock';
import { dropPath } from '../../nn/drop/drop-path';
import { cutout } from '../../nn/drop/cutout';
import { randomErasing } from '../../nn/drop/random-erasing';
import { type SuiteCheck, op } from './check';
import { leaf, normal, positive, spaced } from './inputs';

export const opChecks: readonly SuiteCheck[] = [
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
];
