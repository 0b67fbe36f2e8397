/**
 * A Sequential's forward with gradients off (nn/containers.ts calls it under noGrad): the same
 * modules in the same order, with rewrites that change no output beyond rounding, for embedders
 * who run a trained network (docs/embedding.md):
 *
 *  - Conv2d → BatchNorm2d in eval mode (running statistics) runs as one conv whose weights and
 *    bias have the batch norm folded in (conv-batchnorm-fold.ts), cached until a parameter or
 *    running statistic changes;
 *  - a ReLU right after the conv (or the conv and its batch norm), and a MaxPool2d(2) (stride 2,
 *    no padding, floor mode) after that, run in the conv's epilogue (kernels/conv2d/epilogue.ts),
 *    on each slice while it is in cache;
 *  - a Linear in eval mode reads copies of its weight (transposed, [in, out], so that a batch-1
 *    product reads it row by row where it lies) and bias kept in the kernels' memory (kernel-copy.ts);
 *  - an activation made and read by built-in layers (or fused convs), which keep nothing of it, is
 *    given back to allocate() once read (lib/chain-activations.ts), so the next forward reuses it.
 *
 * A module is rewritten only when its forward is the library's own (a subclass that overrides
 * forward, or an instance given its own, runs as written), and anything else runs as usual.
 */
import { consumedActivation } from '../../lib/chain-activations';
import type { Tensor } from '../../lib/tensor';
import { conv2dInference } from '../../lib/ops/conv2d-inference';
import { maxPool2dOptionKeys, poolWindow } from '../../lib/ops/pool2d';
import { type Conv2dGeometry, conv2dGeometry } from '../../kernels/conv2d';
import type { Module } from '../module';
import { Conv2d } from '../conv2d';
import { BatchNorm2d } from '../batchnorm';
import { ReLU } from '../activations';
import { MaxPool2d } from '../pooling';
import { ConvBatchNormFold } from './conv-batchnorm-fold';
import { KernelCopy } from './kernel-copy';
import { Linear } from '../linear';
import { linearWithTransposedWeight } from '../../lib/ops/linear';
import { isForgetfulLayer } from '../forgetful-layers';

/** True when `m` is a `Class` whose forward is Class's own, so that what it computes is known. */
function isPlain<T extends Module>(m: Module | undefined, Class: abstract new (...args: never[]) => T): m is T {
  return m instanceof Class && m.forward === Class.prototype.forward;
}

/** Each batch norm's fold with the conv before it (a module may sit in two Sequentials; the pair is checked). */
const folds = new WeakMap<BatchNorm2d, ConvBatchNormFold>();

/** @internal Exported for the spec that checks the fold is cached. */
export function foldOf(conv: Conv2d, bn: BatchNorm2d): ConvBatchNormFold {
  let fold = folds.get(bn);
  if (fold?.conv !== conv) {
    fold = new ConvBatchNormFold(conv, bn);
    folds.set(bn, fold);
  }
  return fold;
}

/** A batch norm that, in its current mode, is a fixed affine map on `conv`'s output channels. */
function foldableBatchNorm(conv: Conv2d, m: Module | undefined): m is BatchNorm2d {
  return isPlain(m, BatchNorm2d) && !m.training && m.runningMean !== null && m.runningVar !== null && m.numFeatures === conv.outChannels;
}

/** A MaxPool2d the epilogue computes: 2×2, stride 2, no padding or dilation, floor mode, on a map it leaves non-empty. */
function fusablePool(m: Module | undefined, geo: Conv2dGeometry): boolean {
  if (!isPlain(m, MaxPool2d) || geo.outH < 2 || geo.outW < 2) return false;
  const { kernel, stride, padding, dilation, ceilMode } = poolWindow('MaxPool2d', m.kernelSize, m.options, maxPool2dOptionKeys);
  const both = (pair: readonly [number, number], value: number): boolean => pair[0] === value && pair[1] === value;
  return both(kernel, 2) && both(stride, 2) && both(padding, 0) && both(dilation, 1) && !ceilMode;
}

/**
 * Runs the conv at modules[at] with what follows it fused in, and returns its output and how many
 * modules it stood for; null when nothing fuses (then the conv runs as written).
 */
function fusedConv(modules: readonly Module[], at: number, x: Tensor): { y: Tensor; consumed: number } | null {
  const conv = modules[at];
  if (!isPlain(conv, Conv2d)) return null;
  const next = modules[at + 1];
  const folded = foldableBatchNorm(conv, next) ? foldOf(conv, next).weightsIn(x.dtype) : null;
  const { weight, bias } = folded ?? conv;
  const geo = conv2dGeometry(x.shape, weight.shape, bias ? bias.shape : null, conv.conv);
  let end = at + (folded ? 2 : 1);
  const relu = isPlain(modules[end], ReLU);
  if (relu) end++;
  const maxPool2x2 = fusablePool(modules[end], geo);
  if (maxPool2x2) end++;
  if (end === at + 1) return null;
  return { y: conv2dInference(x, weight, bias, geo, { relu, maxPool2x2 }), consumed: end - at };
}

/** Each Linear's weight and bias where the kernels read them (kernel-copy.ts). */
const linearCopies = new WeakMap<Linear, { weight: KernelCopy; bias: KernelCopy }>();

/** `m`'s forward on copies of its weight and bias that stay in the kernels' memory between calls. */
function linearFromCopies(m: Linear, x: Tensor): Tensor {
  let copies = linearCopies.get(m);
  if (!copies) {
    copies = { weight: new KernelCopy(true), bias: new KernelCopy() };
    linearCopies.set(m, copies);
  }
  return linearWithTransposedWeight(x, m.weight, copies.weight.of(m.weight), m.bias ? copies.bias.of(m.bias) : undefined);
}

export function inferenceForward(modules: readonly Module[], input: Tensor): Tensor {
  let x = input;
  /** Whether x came from a fused conv or a built-in layer, which keeps no reference to it. */
  let madeByForgetful = false;
  for (let at = 0; at < modules.length; ) {
    const read = x;
    const fused = fusedConv(modules, at, x);
    let readByForgetful = true;
    if (fused) {
      x = fused.y;
      at += fused.consumed;
    } else {
      const m = modules[at++];
      // In eval mode only, as the fold: writes through .data (gradcheck's nudges) move no version counter.
      x = isPlain(m, Linear) && !m.training ? linearFromCopies(m, x) : m.forward(x);
      readByForgetful = isForgetfulLayer(m);
    }
    // Read by a layer that kept nothing of it, made by one that kept nothing: its memory is reusable.
    if (read !== input && madeByForgetful && readByForgetful) consumedActivation(read, x, input);
    madeByForgetful = readByForgetful;
  }
  return x;
}
