/**
 * dropgrad's browser entry: everything public except what reads or writes files (index.ts adds
 * those for Node). Nothing reachable from here may import a Node built-in — the browser bundle
 * (scripts/browser-bundle.ts) is built from this file, and test/browser-bundle.spec.ts checks it.
 */

export { Tensor } from './lib/tensor';
export type { NestedArray, StridedView } from './lib/tensor';
export type { DType, TypedArray } from './base/dtype';
export type { Shape } from './base/shape';
export { noGrad, isGradEnabled } from './lib/grad-mode';
export { grad } from './lib/autograd';
export type { BackwardOptions, GradFn } from './lib/autograd';
export { defineOp } from './lib/define-op';
export type { OpDefinition } from './lib/define-op';
export {
  tensor,
  zeros,
  ones,
  full,
  arange,
  eye,
  rand,
  randn,
  uniform,
  bernoulli,
  zerosLike,
  onesLike,
  fullLike,
  randLike,
  randnLike,
} from './lib/creation';
export type { TensorOptions, FromDataOptions, RandomOptions } from './lib/creation';
export { Generator, manualSeed, defaultGenerator } from './lib/random/generator';
export { gradcheck } from './lib/gradcheck';
export { GradcheckError } from './lib/gradcheck-report';
export type { GradcheckOptions, GradcheckFn } from './lib/gradcheck';
export type { GradcheckReport, GradcheckInputReport, GradcheckEntry } from './lib/gradcheck-report';
export { gradgradcheck } from './lib/gradgradcheck';
export type { GradgradcheckOptions } from './lib/gradgradcheck';
export { setBackend, getBackend, withBackend } from './kernels/backend';
export type { BackendName } from './kernels/backend';
export { backendStatus } from './kernels/backend-status';
export type { BackendStatus, BackendStatusOptions } from './kernels/backend-status';
export { setNumThreads, getNumThreads } from './kernels/wasm/thread-count';
export { releaseMemory } from './kernels/wasm/release-memory';
export type { TensorLike } from './lib/ops/elementwise';
export { add, sub, mul, div, neg, pow } from './lib/ops/arithmetic';
export { chaiGradcheck } from './lib/chai-gradcheck';
export { abs, clamp, exp, log, sqrt } from './lib/ops/unary';
export type { ClampBounds } from './lib/ops/unary';
export { relu, leakyRelu, sigmoid, tanh } from './lib/ops/activations';
export { sum, mean, max, min, variance } from './lib/ops/reductions';
export type { Dims, VarOptions } from './lib/ops/reductions';
export { softmax, logSoftmax } from './lib/ops/softmax';
export { crossEntropy } from './lib/ops/cross-entropy';
export type { CrossEntropyOptions } from './lib/ops/cross-entropy';
export { mseLoss } from './lib/ops/mse-loss';
export type { MseLossOptions } from './lib/ops/mse-loss';
export type { Reduction } from './lib/ops/loss-reduction';
export { matmul } from './lib/ops/matmul';
export { linear } from './lib/ops/linear';
export { reshape, view, flatten, squeeze, unsqueeze, transpose, permute, expand, contiguous } from './lib/ops/views';
export { concat, cat, stack } from './lib/ops/join';
export { slice, narrow, select, indexSelect, gather } from './lib/ops/indexing';
export { where } from './lib/ops/where';
export { pad } from './lib/ops/pad';
export type { PadMode, PadOptions } from './lib/ops/pad';
export * as F from './nn/functional';
export * as nn from './nn/index';
// The option types the drop techniques take, F.<technique>(x, main, options) and their layers.
export type { DropOptions, DropLayerOptions } from './nn/drop/noise-layer';
export type { DropBlock2dOptions } from './nn/drop/dropblock';
export type { DropBlockScheduleOptions } from './nn/drop/dropblock-scheduler';
export type { DropPathOptions, DropPathMode } from './nn/drop/drop-path';
export type { CutoutOptions } from './nn/drop/cutout';
export type { RandomErasingOptions } from './nn/drop/random-erasing';
export type { DropConnectLinearOptions } from './nn/drop/drop-connect';
export type { StochasticDepthOptions, DepthConvention } from './nn/models/residual-drop';
export * as optim from './nn/optim/index';
export { DataLoader } from './app/data/data-loader';
export type { DataLoaderOptions, Batch, BatchTransform } from './app/data/data-loader';
export { readIdx, readIdxAsync } from './app/data/idx';
export type { IdxArray, IdxData } from './app/data/idx';
export { isGzip, gunzipIfGzip } from './app/data/gzip';
export { readCifar10, cifar10ClassNames } from './app/data/cifar10';
export {
  imageDataset,
  idxImageDataset,
  mnistNormalization,
  fashionMnistNormalization,
  cifar10Normalization,
  mnistClassNames,
  fashionMnistClassNames,
} from './app/data/dataset';
export type { ImageDataset, Normalization, ImageDatasetOptions } from './app/data/dataset';
export { encodeSafetensors } from './app/serialization/safetensors/encode';
export { decodeSafetensors } from './app/serialization/safetensors/decode';
export type { SafetensorsContents } from './app/serialization/safetensors/decode';
export type { SafetensorsMetadata } from './app/serialization/safetensors/header';
export { trainEpoch } from './app/training/train-epoch';
export type { TrainEpochOptions, TrainProgress, EpochResult } from './app/training/train-epoch';
export type { Batches } from './app/training/batches';
export { evaluate } from './app/training/evaluate';
export type { Evaluation } from './app/training/evaluate';
export { gradcheckSuite, runGradcheckSuite } from './app/gradcheck-suite/suite';
export type { SuiteCheck } from './app/gradcheck-suite/check';
export type { SuiteResult } from './app/gradcheck-suite/run-checks';
export { configureGpuJs, gpuJsStatus, hasRealGpuContext, webglRenderer } from './kernels/gpujs/context';
export type { GpuJsMode, GpuJsModule, GpuJsOptions, GpuJsStatus } from './kernels/gpujs/context';
export { wasmStatus } from './kernels/wasm/status';
export type { WasmSimd } from './kernels/wasm/module-choice';
export type { WasmStatus } from './kernels/wasm/status';
export * as models from './nn/models/index';
