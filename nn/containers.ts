/** Sequential and ModuleList: modules held by position, named '0', '1', … in the state dict. */
import { chainActivations, consumedActivation } from '../lib/chain-activations';
import type { Tensor } from '../lib/tensor';
import { isForgetfulLayer } from './forgetful-layers';
import { Module } from './module';
import { formatValue } from '../base/shape';
import { isGradEnabled } from '../lib/grad-mode';
import { inferenceForward } from './inference/sequential-inference';

/** An ordered list of modules, registered as children but not called (PyTorch's nn.ModuleList). */
export class ModuleList extends Module {
  constructor(modules: Iterable<Module> = []) {
    super();
    for (const m of modules) this.append(m);
  }

  get length(): number {
    return this.children().length;
  }

  /** The module at `index` (negative counts from the end). */
  at(index: number): Module {
    const list = this.children();
    const module = list[index < 0 ? index + list.length : index];
    if (!module) throw new RangeError(`${this.constructor.name}.at: index ${index} is out of range for ${list.length} modules`);
    return module;
  }

  append(module: Module): this {
    if (!(module instanceof Module)) throw new TypeError(`${this.constructor.name}.append: expected a Module, got ${formatValue(module)}`);
    // Integer-like keys enumerate in ascending order, so reflection sees them in position order.
    (this as unknown as Record<string, Module>)[String(this.length)] = module;
    return this;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.children()[Symbol.iterator]();
  }

  forward(..._inputs: Tensor[]): Tensor {
    throw new Error('ModuleList has no forward: iterate over it and call each module');
  }
}

/**
 * Calls its modules in order, each on the previous one's output. With gradients off (noGrad) it
 * runs them through the inference path (nn/inference/sequential-inference.ts): an eval-mode batch
 * norm folded into the conv before it, a ReLU fused into the conv; the same outputs to rounding.
 */
export class Sequential extends ModuleList {
  constructor(...modules: Module[]) {
    super(modules);
  }

  override forward(input: Tensor): Tensor {
    if (!isGradEnabled()) return inferenceForward(this.children(), input);
    return forwardChain(this.children(), input);
  }
}

/**
 * Runs `layers` in order, each on the previous one's output: nn.Sequential's forward with gradients
 * on, and the built-in residual blocks' branches in either mode. When every layer is a forgetful
 * one (nn/forgetful-layers.ts), the activations in between are the chain's alone, and their memory
 * goes back for reuse as soon as nothing can read them (lib/chain-activations.ts).
 */
export function forwardChain(layers: readonly Module[], input: Tensor): Tensor {
  if (!layers.every(isForgetfulLayer)) {
    let x = input;
    for (const m of layers) x = m.forward(x);
    return x;
  }
  let x = input;
  const waiting: Tensor[] = [];
  for (const m of layers) {
    const next = m.forward(x);
    if (x !== input && x !== next && !consumedActivation(x, next, input)) waiting.push(x);
    x = next;
  }
  chainActivations(input, x, waiting);
  return x;
}
