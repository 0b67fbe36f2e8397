import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { F, type NestedArray, type Tensor, div, exp, grad, log, mul, pow, sigmoid, sqrt, tanh, tensor } from '../index';
import { expectTensorClose } from './helpers/close';

/** One double backward recorded by scripts/fixtures/second-derivatives.py (see it for first, second, mixed). */
interface TorchCase {
  name: string;
  x: NestedArray;
  gradOutput: NestedArray;
  u: NestedArray;
  first: NestedArray;
  second: NestedArray;
  mixed: NestedArray;
}

interface Fixture {
  torch: string;
  indices: number[];
  weight: number[];
  soft: NestedArray;
  target: NestedArray;
  batchNorm: Record<'weight' | 'bias' | 'runningMean' | 'runningVar', number[]>;
  cases: TorchCase[];
}

const fixture: Fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'second-derivatives.json'), 'utf8'));
const indices = tensor(fixture.indices);
const weight = tensor(fixture.weight);
const bn = {
  weight: tensor(fixture.batchNorm.weight),
  bias: tensor(fixture.batchNorm.bias),
  runningMean: tensor(fixture.batchNorm.runningMean),
  runningVar: tensor(fixture.batchNorm.runningVar),
};

/** dropgrad's call for each of the script's functions, by the name the script gives it. */
const functions: Record<string, (x: Tensor) => Tensor> = {
  sigmoid: (x) => sigmoid(x),
  tanh: (x) => tanh(x),
  exp: (x) => exp(x),
  log: (x) => log(x),
  sqrt: (x) => sqrt(x),
  'x^3': (x) => pow(x, 3),
  'x·sigmoid(x)': (x) => mul(x, sigmoid(x)),
  '1/x': (x) => div(1, x),
  'softmax dim 1': (x) => F.softmax(x, 1),
  'softmax dim 0': (x) => F.softmax(x, 0),
  'log_softmax dim 1': (x) => F.logSoftmax(x, 1),
  'cross_entropy, mean': (x) => F.crossEntropy(x, indices),
  'cross_entropy, weight, label smoothing 0.1, sum': (x) => F.crossEntropy(x, indices, { weight, labelSmoothing: 0.1, reduction: 'sum' }),
  'cross_entropy, none': (x) => F.crossEntropy(x, indices, { reduction: 'none' }),
  'cross_entropy, soft targets': (x) => F.crossEntropy(x, tensor(fixture.soft)),
  'mse_loss, mean': (x) => F.mseLoss(x, tensor(fixture.target)),
  'tanh∘max_pool2d 2': (x) => tanh(F.maxPool2d(x, 2)),
  'tanh∘max_pool2d 3, stride 2, padding 1, ceil_mode': (x) => tanh(F.maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true })),
  'tanh∘max_pool2d 2, stride 1, dilation 2': (x) => tanh(F.maxPool2d(x, 2, { stride: 1, dilation: 2 })),
  'tanh∘avg_pool2d 2': (x) => tanh(F.avgPool2d(x, 2)),
  'tanh∘avg_pool2d 3, stride 2, padding 1, ceil_mode, count_include_pad False': (x) =>
    tanh(F.avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false })),
  'tanh∘avg_pool2d 2, stride 1, divisor_override 3': (x) => tanh(F.avgPool2d(x, 2, { stride: 1, divisorOverride: 3 })),
  'tanh∘adaptive_avg_pool2d (3, 2)': (x) => tanh(F.adaptiveAvgPool2d(x, [3, 2])),
  'batch_norm, training': (x) => F.batchNorm(x, null, null, bn.weight, bn.bias, true),
  'tanh∘batch_norm, eval': (x) => tanh(F.batchNorm(x, bn.runningMean, bn.runningVar, bn.weight, bn.bias, false)),
};

describe(`second derivatives match PyTorch ${fixture.torch} (create_graph=True; test/fixtures/second-derivatives.json)`, () => {
  it('has a dropgrad function for every case of the fixture', () => {
    expect(fixture.cases.map((c) => c.name)).to.have.members(Object.keys(functions));
  });

  for (const c of fixture.cases) {
    it(c.name, () => {
      const x = tensor(c.x, { requiresGrad: true });
      const v = tensor(c.gradOutput, { requiresGrad: true });
      const [first] = grad(functions[c.name](x), [x], v, { createGraph: true });
      expectTensorClose(first!, c.first, 1e-9);
      const [second, mixed] = grad(first!, [x, v], tensor(c.u));
      expectTensorClose(second!, c.second, 1e-9);
      expectTensorClose(mixed!, c.mixed, 1e-9);
    });
  }
});
