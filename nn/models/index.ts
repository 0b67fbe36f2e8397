/** models: ResNet blocks with stochastic depth, the resnet() builder, and a small CNN for digits. */
export { BasicBlock } from './basic-block';
export type { BlockOptions } from './basic-block';
export { Bottleneck } from './bottleneck';
export { ResNet, resnet } from './resnet';
export type { ResNetOptions } from './resnet';
export { smallCnn } from './small-cnn';
export type { SmallCnnOptions, SmallCnnRegularizers } from './small-cnn';
export { ResidualDrop } from './residual-drop';
export type { StochasticDepthOptions, DepthConvention } from './residual-drop';
