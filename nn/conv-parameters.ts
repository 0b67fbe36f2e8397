/**
 * The parameters of a convolution layer, initialised as PyTorch's _ConvNd.reset_parameters:
 * weight kaiming_uniform_(a = √5), which works out to U(±1/√fanIn), and a bias U(±1/√fanIn), the
 * fan-in taken over the weight's dims 1.. whatever its layout (Conv2d's and ConvTranspose2d's).
 */
import type { DType } from '../base/dtype';
import type { Generator } from '../lib/random/generator';
import { Parameter } from './parameter';
import { empty } from './empty';
import { fanIn, kaimingUniform_, uniform_ } from './init';

export function convParameters(
  weightShape: number[],
  outChannels: number,
  withBias: boolean,
  dtype: DType,
  generator: Generator,
): { weight: Parameter; bias: Parameter | null } {
  const weight = empty(weightShape, dtype);
  kaimingUniform_(weight, { a: Math.sqrt(5), generator });
  const bound = 1 / Math.sqrt(fanIn(weight));
  const bias = withBias ? new Parameter(uniform_(empty([outChannels], dtype), -bound, bound, generator)) : null;
  return { weight: new Parameter(weight), bias };
}

/** A conv layer's summary line: channels, kernel size and the options that were given. */
export function describeConv(inChannels: number, outChannels: number, kernelSize: readonly number[], options: object): string {
  const extras = Object.entries(options)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return [`${inChannels}`, `${outChannels}`, `kernelSize=[${kernelSize.join(',')}]`, ...extras].join(', ');
}
