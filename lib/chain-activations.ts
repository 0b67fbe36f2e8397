/**
 * The activations inside a chain of layers (nn.Sequential of built-in layers), given back to
 * allocate() (base/dtype.ts) as soon as nothing can use them: in a forward without a graph, once
 * the next layer has read them; with a graph, once backward has released the nodes that saved them.
 * Their memory is then reused by the next call instead of waiting for the garbage collector —
 * which, for storage living in the wasm memory (kernels/wasm/resident-storage.ts), never runs its
 * finalizers inside a synchronous training loop.
 *
 * Safe because only the chain and the graph ever hold these tensors: the chain's caller receives
 * its output only, built-in layers keep no reference to what they read or return, and a node's
 * inputs are reachable after backward only by walking gradFn.inputs; a tensor reached that way
 * throws on use, as PyTorch does for saved tensors freed by backward.
 */
import { type TypedArray, recycle } from '../base/dtype';
import type { GradFn } from './autograd';
import { type Tensor, markFreed } from './tensor';

interface Chain {
  /** The arrays of the chain's input and output, which the caller holds: never given back. */
  readonly outside: readonly TypedArray[];
  readonly activations: readonly Tensor[];
}

/**
 * By the node of each chain's output: what backward gives back when it releases that node. Chains
 * nested in one another can end in the same tensor (a residual block last in its stage), hence a list.
 */
const chains = new WeakMap<GradFn, Chain[]>();

/** Recycles the arrays of `activations` (once each) and marks those tensors freed, unless an array is one of `kept`. */
function giveBack(activations: readonly Tensor[], kept: readonly TypedArray[]): void {
  const given = new Set<TypedArray>();
  for (const tensor of activations) {
    const array = tensor.nd.data;
    if (kept.includes(array)) continue;
    if (!given.has(array)) {
      given.add(array);
      recycle(array);
    }
    markFreed(tensor);
  }
}

/**
 * Called by the chain after each layer: `previous` (an activation, not the chain's input) was read
 * by the layer that made `next`. Without a graph on either side, nothing else can read it: given back.
 */
export function consumedActivation(previous: Tensor, next: Tensor, input: Tensor): boolean {
  if (previous.gradFn !== null || next.gradFn !== null) return false;
  giveBack([previous], [input.nd.data, next.nd.data]);
  return true;
}

/** Called by the chain when it returns `output`: its remaining activations wait for backward to release the graph. */
export function chainActivations(input: Tensor, output: Tensor, activations: readonly Tensor[]): void {
  if (output.gradFn === null || activations.length === 0) return;
  const chain = { outside: [input.nd.data, output.nd.data], activations };
  const ending = chains.get(output.gradFn);
  if (ending) ending.push(chain);
  else chains.set(output.gradFn, [chain]);
}

/**
 * Called by a built-in residual block (nn/models/residual-block.ts) with the tensors it made between
 * its input and its output outside its chains (the shortcut's and branch's outputs, their sum):
 * without a graph they are given back at once — the block's last op has read them — and with one
 * they wait, as a chain's activations do, for backward to release the output's node.
 */
export function blockActivations(input: Tensor, output: Tensor, made: readonly Tensor[]): void {
  if (output.gradFn === null) giveBack(made, [input.nd.data, output.nd.data]);
  else chainActivations(input, output, made);
}

/**
 * Called by backward (without retainGraph) with the nodes it released: each chain whose output's node
 * is among them gives back the activations whose own node was released too (they reached no further
 * than the nodes backward went through).
 */
export function releaseChainActivations(released: ReadonlySet<GradFn>): void {
  const done = (t: Tensor): boolean => t.gradFn !== null && released.has(t.gradFn);
  for (const fn of released) {
    for (const chain of chains.get(fn) ?? []) {
      // An activation backward did not reach keeps its array, and so does every view sharing it.
      const kept = [...chain.outside, ...chain.activations.filter((t) => !done(t)).map((t) => t.nd.data)];
      giveBack(chain.activations.filter(done), kept);
    }
    chains.delete(fn);
  }
}
