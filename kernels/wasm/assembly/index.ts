/**
 * The wasm kernels' entry points. Every kernel has the signature (args, share, shares, thread):
 * `args` points at an i32 argument block in the shared memory, the call's items are split into
 * `shares` (share.ts), and a call computes share `share`; the threads claim the shares one at a time
 * (kernels/wasm/thread-pool.ts), and `thread` says whose per-thread workspace a kernel that has one uses.
 * kernels/wasm/argument-blocks.ts declares each of them and its block; the host calls them by name.
 */
export { conv2dForward, conv2dBackwardInput, conv2dWeightPartials, reduceImages } from './conv2d';
export { gemm, gemmWorkspaceBytes } from './gemm';
export { maxPool2dForward, maxPool2dBackward, avgPool2dForward, avgPool2dBackward } from './pool2d';
export {
  batchNormChannelSums,
  batchNormMoments,
  batchNormNormalize,
  batchNormGradientSums,
  batchNormInputGradient,
  batchNormTrainingForward,
  batchNormTrainingBackward,
} from './batchnorm';
export { adamStep } from './adam';
export { reluForward, reluBackward } from './relu';
export { bernoulliMask, maskProduct } from './mask';
