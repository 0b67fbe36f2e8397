/** dropgrad: everything public is importable from here. */
import './lib/tensor-methods';

export { Tensor } from './lib/tensor';
export type { NestedArray } from './lib/tensor';
export type { DType, TypedArray } from './lib/dtype';
export type { Shape } from './lib/shape';
export { noGrad, isGradEnabled } from './lib/grad-mode';
export { grad } from './lib/autograd';
export type { BackwardOptions, GradFn } from './lib/autograd';
export { defineOp } from './lib/define-op';
export type { OpDefinition } from './lib/define-op';
export { tensor, zeros, ones, full, arange, eye, rand, randn, uniform, bernoulli, zerosLike, onesLike, fullLike, randLike, randnLike } from './lib/creation';
export type { TensorOptions, FromDataOptions, RandomOptions } from './lib/creation';
export { Generator, manualSeed, defaultGenerator } from './lib/random/generator';
export { gradcheck, GradcheckError } from './lib/gradcheck';
export type { GradcheckOptions, GradcheckReport, GradcheckInputReport, GradcheckEntry, GradcheckFn } from './lib/gradcheck';
export { setBackend, getBackend, withBackend } from './lib/backend';
export type { BackendName } from './lib/backend';
export type { TensorLike } from './lib/ops/elementwise';
export { add, sub, mul, div, neg, pow } from './lib/ops/arithmetic';
export { chaiGradcheck } from './lib/chai-gradcheck';
