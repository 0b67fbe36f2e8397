/**
 * Every layer refuses a bad constructor argument at once, naming the layer, the argument and the
 * value, with the same rule (and message) its op applies at forward time.
 */
import { expect } from 'chai';
import { nn } from '../index';

const refuses = (build: () => unknown, message: string): void => {
  expect(build).to.throw(message);
};

describe('layer constructors check their arguments', () => {
  it('Conv2d: kernel size, stride, padding, dilation and groups', () => {
    refuses(
      () => new nn.Conv2d(1, 2, 3, { padding: -1 }),
      "Conv2d: padding must be a non-negative integer, a pair of them, 'same' or 'valid', got -1",
    );
    refuses(
      () => new nn.Conv2d(1, 2, 3, { padding: NaN }),
      "Conv2d: padding must be a non-negative integer, a pair of them, 'same' or 'valid', got NaN",
    );
    refuses(
      () => new nn.Conv2d(1, 2, 3, { padding: 'full' as never }),
      "Conv2d: padding must be a non-negative integer, a pair of them, 'same' or 'valid', got \"full\"",
    );
    refuses(() => new nn.Conv2d(1, 2, 3, { stride: 0 }), 'Conv2d: stride must be a positive integer or a pair of them, got 0');
    refuses(
      () => new nn.Conv2d(1, 2, 3, { stride: [1, 1, 1] as never }),
      'Conv2d: stride must be a positive integer or a pair of them, got [1,1,1]',
    );
    refuses(() => new nn.Conv2d(1, 2, 3, { dilation: 0 }), 'Conv2d: dilation must be a positive integer or a pair of them, got 0');
    refuses(
      () => new nn.Conv2d(1, 2, 3, { padding: 'same', stride: 2 }),
      "Conv2d: padding 'same' needs stride 1 (as in PyTorch), got stride [2,2]",
    );
    refuses(() => new nn.Conv2d(1, 2, [3] as never), 'Conv2d: kernelSize must be a positive integer or a pair of them, got [3]');
    refuses(() => new nn.Conv2d(1, 2, 0), 'Conv2d: kernelSize must be a positive integer or a pair of them, got 0');
    refuses(() => new nn.Conv2d(4, 4, 3, { groups: 0 }), 'Conv2d: groups must be a positive integer, got 0');
    refuses(() => new nn.Conv2d(3, 2, 3, { groups: 2 }), 'Conv2d: inChannels 3 and outChannels 2 must both be divisible by groups 2');
    refuses(() => new nn.Conv2d(1.5, 2, 3), 'Conv2d: inChannels must be a positive integer, got 1.5');
    refuses(() => new nn.Conv2d(1, 2, 3, { bias: 'no' as never }), 'Conv2d: bias must be a boolean, got "no"');
  });
});

describe('pooling layer constructors check their arguments', () => {
  it('MaxPool2d, AvgPool2d: kernel size, stride, padding, dilation and the flags', () => {
    refuses(() => new nn.MaxPool2d(0), 'MaxPool2d: kernelSize must be an integer ≥ 1 or a pair of them, got 0');
    refuses(() => new nn.AvgPool2d(-1), 'AvgPool2d: kernelSize must be an integer ≥ 1 or a pair of them, got -1');
    refuses(() => new nn.MaxPool2d([2, 2, 2] as never), 'MaxPool2d: kernelSize must be an integer ≥ 1 or a pair of them, got [2,2,2]');
    refuses(() => new nn.MaxPool2d(2, { stride: 0 }), 'MaxPool2d: stride must be an integer ≥ 1 or a pair of them, got 0');
    refuses(() => new nn.MaxPool2d(2, { dilation: 0 }), 'MaxPool2d: dilation must be an integer ≥ 1 or a pair of them, got 0');
    refuses(() => new nn.AvgPool2d(2, { padding: -1 }), 'AvgPool2d: padding must be an integer ≥ 0 or a pair of them, got -1');
    refuses(
      () => new nn.MaxPool2d(2, { padding: 2 }),
      'MaxPool2d: padding should be at most half of kernel size, but got padding=[2,2] and kernelSize=[2,2]',
    );
    refuses(() => new nn.MaxPool2d(2, { ceilMode: 1 as never }), 'MaxPool2d: ceilMode must be a boolean, got 1');
    refuses(() => new nn.AvgPool2d(2, { countIncludePad: 'no' as never }), 'AvgPool2d: countIncludePad must be a boolean, got "no"');
    refuses(() => new nn.AvgPool2d(2, { divisorOverride: 0 }), 'AvgPool2d: divisorOverride must be a finite non-zero number, got 0');
  });

  it('AdaptiveAvgPool2d: output size', () => {
    refuses(() => new nn.AdaptiveAvgPool2d(0), 'AdaptiveAvgPool2d: outputSize must be an integer ≥ 1 or a pair of them, got 0');
    refuses(
      () => new nn.AdaptiveAvgPool2d([1.5, 2]),
      'AdaptiveAvgPool2d: outputSize must be an integer ≥ 1 or a pair of them, got [1.5,2]',
    );
  });
});

describe('other layer constructors check their arguments', () => {
  it('Linear, Conv2d, BatchNorm: sizes, flags, dtype and generator', () => {
    refuses(() => new nn.Linear(0.5, 3), 'Linear: inFeatures must be a positive integer, got 0.5');
    refuses(() => new nn.Linear(2, '3' as never), 'Linear: outFeatures must be a positive integer, got "3"');
    refuses(() => new nn.Linear(2, 3, { bias: 0 as never }), 'Linear: bias must be a boolean, got 0');
    refuses(() => new nn.Linear(2, 3, { dtype: 'float16' as never }), "Linear: dtype must be 'float64' or 'float32', got \"float16\"");
    refuses(() => new nn.Linear(2, 3, { generator: 5 as never }), 'Linear: generator must be a Generator, got 5');
    refuses(() => new nn.Conv2d(1, 2, 3, { generator: {} as never }), 'Conv2d: generator must be a Generator, got {}');
    refuses(() => new nn.BatchNorm2d(0), 'BatchNorm2d: numFeatures must be a positive integer, got 0');
    refuses(() => new nn.BatchNorm1d(2, { affine: 'no' as never }), 'BatchNorm1d: affine must be a boolean, got "no"');
    refuses(() => new nn.BatchNorm3d(2, { trackRunningStats: 0 as never }), 'BatchNorm3d: trackRunningStats must be a boolean, got 0');
    refuses(() => new nn.BatchNorm2d(2, { momentum: '0.1' as never }), 'BatchNorm2d: momentum must be in [0, 1] or null, got "0.1"');
    refuses(() => new nn.BatchNorm2d(2, { eps: '1e-5' as never }), 'BatchNorm2d: eps must be a finite number ≥ 0, got "1e-5"');
    refuses(() => new nn.BatchNorm2d(2, { dtype: 'int8' as never }), "BatchNorm2d: dtype must be 'float64' or 'float32', got \"int8\"");
  });

  it('LeakyReLU, Flatten, Sequential', () => {
    refuses(() => new nn.LeakyReLU(NaN), 'LeakyReLU: negativeSlope must be a finite number, got NaN');
    refuses(() => new nn.LeakyReLU('0.1' as never), 'LeakyReLU: negativeSlope must be a finite number, got "0.1"');
    refuses(() => new nn.Flatten(0.5), 'Flatten: startDim must be an integer, got 0.5');
    refuses(() => new nn.Flatten(1, '-1' as never), 'Flatten: endDim must be an integer, got "-1"');
    refuses(() => new nn.Sequential(new nn.ReLU(), 'relu' as never), 'Sequential.append: expected a Module, got "relu"');
  });
});
