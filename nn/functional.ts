/** F: every op in functional form (PyTorch's torch.nn.functional), importable as `F` from the root. */
export { linear } from '../lib/ops/linear';
export { conv2d } from '../lib/ops/conv2d';
export { convTranspose2d } from '../lib/ops/conv-transpose2d';
export { maxPool2d, avgPool2d, adaptiveAvgPool2d } from '../lib/ops/pool2d';
export { batchNorm } from '../lib/ops/batchnorm';
export { relu, leakyRelu, sigmoid, tanh } from '../lib/ops/activations';
export { softmax, logSoftmax } from '../lib/ops/softmax';
export { crossEntropy, mseLoss } from '../lib/ops/losses';
export { pad } from '../lib/ops/pad';
export { dropout } from './drop/dropout';
export { dropout2d } from './drop/dropout2d';
export { gaussianDropout } from './drop/gaussian-dropout';
export { uout } from './drop/uout';
export { alphaDropout } from './drop/alpha-dropout';
export { dropBlock2d } from './drop/dropblock';
export { dropPath } from './drop/drop-path';
export { cutout } from './drop/cutout';
export { randomErasing } from './drop/random-erasing';
