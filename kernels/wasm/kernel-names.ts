/**
 * The wasm module's kernels, each exported as (args, thread, threads) => void by
 * kernels/wasm/assembly/index.ts. A worker thread is told which one to run by its index here.
 */
export const kernelNames = [
  'conv2dForward',
  'conv2dBackwardInput',
  'conv2dWeightPartials',
  'reduceImages',
  'gemm',
  'maxPool2dForward',
  'maxPool2dBackward',
  'avgPool2dForward',
  'avgPool2dBackward',
  'batchNormMoments',
  'batchNormNormalize',
  'batchNormGradientSums',
  'batchNormInputGradient',
] as const;

export type KernelName = (typeof kernelNames)[number];
