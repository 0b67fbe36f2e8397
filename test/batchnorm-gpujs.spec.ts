import { expect } from 'chai';
import { type BackendName, Generator, nn, randn, withBackend } from '../index';
import { gpujsBatchNorm } from '../kernels/batchnorm/gpujs';
import { configureGpuJs, gpuJsStatus } from '../kernels/gpujs/context';
import { batchNormLayouts, expectBatchNormMatches, expectFloat32Close } from './helpers/batchnorm-cases';
import { installedGpuJs } from './helpers/gpujs';

describe('batchnorm gpu.js kernels match the reference', () => {
  before(function () {
    installedGpuJs(this);
    configureGpuJs();
  });
  afterEach(() => expect(gpuJsStatus(), 'gpu.js is still in use').to.include({ available: true }));

  batchNormLayouts.forEach((layout, index) => {
    for (const Type of [Float64Array, Float32Array]) {
      it(`${JSON.stringify(layout)}, ${Type.name}`, () => {
        expectBatchNormMatches(gpujsBatchNorm, layout, Type, new Generator(1100 + index));
      });
    }
  });

  for (const training of [true, false]) {
    it(`5-D (N,C,D,H,W) through nn.BatchNorm3d on gpu.js, ${training ? 'training' : 'eval'}: output and gradients match the reference`, () => {
      const x = randn([2, 3, 2, 3, 4], { dtype: 'float32' }).mul(2).add(1);
      const upstream = randn(x.shape, { dtype: 'float32' });
      const run = (backend: BackendName) =>
        withBackend(backend, () => {
          const layer = new nn.BatchNorm3d(3, { dtype: 'float32' });
          layer.runningVar!.data.set([0.5, 1.5, 2]);
          layer.weight!.data.set([0.5, 1, 2]);
          if (!training) layer.eval();
          const input = x.detach().requiresGrad_();
          const y = layer.forward(input);
          y.backward(upstream);
          return [y, input.grad!, layer.weight!.grad!, layer.bias!.grad!, layer.runningMean!, layer.runningVar!].map((t) => t.data);
        });
      const [gpu, reference] = [run('gpu.js'), run('reference')];
      const names = ['output', 'dx', 'dweight', 'dbias', 'running_mean', 'running_var'];
      gpu.forEach((values, i) => {
        expectFloat32Close(values, reference[i], names[i]);
      });
    });
  }
});
