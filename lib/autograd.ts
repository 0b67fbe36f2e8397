/**
 * The reverse-mode engine. Every op that sees an input requiring grad attaches a GradFn to its
 * output; `backward(root)` visits the graph in reverse topological order, so each node's output
 * gradient is complete (summed over all its consumers) before its backward runs.
 */
import { Tensor } from './tensor';
import { withGradMode } from './grad-mode';
import { add, mul } from './ops/arithmetic';
import { cast } from './ops/cast';
import { formatShape, sameShape } from '../base/shape';
import { type TypedArray, allocate, inOp, recycle, trackAllocations } from '../base/dtype';
import { releaseChainActivations } from './chain-activations';
import { checkOptions, optionKeys } from './validate';

export interface GradFn {
  /** The op's name, for error messages and graph dumps. */
  readonly name: string;
  /** The op's arguments in order; non-tensor arguments and tensors not requiring grad are null. */
  readonly inputs: ReadonlyArray<Tensor | null>;
  /** Given dL/d(output), returns dL/d(input) for each entry of `inputs` (null where not needed). */
  apply(gradOutput: Tensor): ReadonlyArray<Tensor | null | undefined>;
  /**
   * Drops saved tensors once backward has run (unless the graph is retained); with `reclaimSaved`
   * (no graph was recorded by that backward, so nothing else can hold them) memory only the node
   * held may be reused at once.
   */
  release(reclaimSaved: boolean): void;
}

export interface BackwardOptions {
  /** Keep the saved tensors so backward can run through this graph again (default: createGraph). */
  retainGraph?: boolean;
  /**
   * Record the backward pass itself (PyTorch's create_graph): every op's backward runs with
   * recording on, so the gradients have gradFns and can be differentiated again.
   */
  createGraph?: boolean;
}
const backwardOptionKeys = optionKeys<BackwardOptions>({ retainGraph: true, createGraph: true });

/** The options with PyTorch's default: createGraph implies retainGraph unless it is given. */
function resolveOptions(where: string, options: BackwardOptions): Required<BackwardOptions> {
  checkOptions(where, options, backwardOptionKeys);
  const createGraph = options.createGraph ?? false;
  return { createGraph, retainGraph: options.retainGraph ?? createGraph };
}

/** Reverse topological order of the tensors reachable from `root` through gradFns. */
function reverseTopologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  // Iterative DFS: deep graphs (long training loops unrolled by mistake) must not blow the stack.
  const stack: Array<{ tensor: Tensor; expanded: boolean }> = [{ tensor: root, expanded: false }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (top.expanded) {
      order.push(top.tensor);
      continue;
    }
    if (visited.has(top.tensor)) continue;
    visited.add(top.tensor);
    stack.push({ tensor: top.tensor, expanded: true });
    for (const input of top.tensor.gradFn?.inputs ?? []) {
      if (input && !visited.has(input)) stack.push({ tensor: input, expanded: false });
    }
  }
  return order.reverse();
}

function addInto(target: Tensor, extra: Tensor): Tensor {
  const a = target.values();
  const b = extra.values();
  const out = allocate(target.dtype, a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] + b[i];
  return Tensor.fromData(out, target.shape);
}

/**
 * The gradient in the dtype of the tensor it is for (PyTorch's engine does the same): a float32
 * tensor used in a float64 op gets a float32 gradient, not the op's promoted float64 one.
 */
function inDTypeOf(tensor: Tensor, g: Tensor): Tensor {
  if (g.dtype === tensor.dtype) return g;
  const out = allocate(tensor.dtype, g.numel);
  out.set(g.values());
  return Tensor.fromData(out, g.shape);
}

function onesLikeScalar(root: Tensor): Tensor {
  const ones = allocate(root.dtype, 1);
  ones[0] = 1;
  return Tensor.fromData(ones, root.shape);
}

function seedGradient(root: Tensor, gradOutput: Tensor | undefined, where: string, createGraph: boolean): Tensor {
  if (!root.requiresGrad) {
    throw new Error(`${where}: this tensor does not require grad and has no gradFn (did an input set requiresGrad: true?)`);
  }
  if (gradOutput === undefined && root.numel !== 1) {
    throw new RangeError(
      `${where}: gradOutput is needed for a non-scalar output of shape ${formatShape(root.shape)} (or call .sum() first)`,
    );
  }
  const seed = gradOutput ?? onesLikeScalar(root);
  if (!sameShape(seed.shape, root.shape)) {
    throw new RangeError(`${where}: gradOutput shape ${formatShape(seed.shape)} does not match output shape ${formatShape(root.shape)}`);
  }
  // With createGraph a gradOutput that requires grad is part of the graph (gradgradcheck
  // differentiates w.r.t. it); otherwise the first-order engine never records, so detach.
  return createGraph ? seed : seed.detach();
}

/**
 * True when one of `others` reads or writes the memory of `array` (a view, or another array over
 * the same bytes). Arrays that live in the wasm memory all share its buffer, so bytes, not buffers, decide.
 */
function sharesMemory(array: TypedArray, others: Iterable<Tensor>): boolean {
  const end = array.byteOffset + array.byteLength;
  for (const { nd } of others) {
    const other = nd.data;
    if (other.buffer === array.buffer && other.byteOffset < end && array.byteOffset < other.byteOffset + other.byteLength) return true;
  }
  return false;
}

/**
 * Propagates `seed` = dL/d(root) through the graph. `receive(tensor, grad)` is called once for every
 * tensor reached, with its complete gradient, before that tensor's own backward runs (it must copy
 * what it keeps: the gradient's memory may be recycled once its backward has run).
 *
 * Recycling: once a tensor's backward has run, its gradient is dead unless something else still
 * holds its memory. The engine gives its array back to allocate() (base/dtype.ts) when it can prove
 * that: the array was made by a backward function during this pass (so it is not the caller's
 * gradOutput, a saved tensor or a parameter), and no gradient still waiting in `grads` shares it —
 * those include the ones just returned, since a backward may pass its gradOutput on, or a view of
 * it. Backward functions must therefore not keep the tensors they return (none does).
 *
 * Released nodes also let the chains of layers whose output they made (nn.Sequential) give their
 * activations back (lib/chain-activations.ts).
 *
 * With createGraph, the backward functions run with recording on, the sums and dtype conversions
 * of gradients are ops too (add, cast), and nothing is recycled: every gradient may be saved by
 * the ops of the graph being recorded.
 */
function propagate(
  root: Tensor,
  seed: Tensor,
  { retainGraph, createGraph }: Required<BackwardOptions>,
  receive: (tensor: Tensor, grad: Tensor) => void,
): void {
  const grads = new Map<Tensor, Tensor>([[root, seed]]);
  const madeByBackward = new Set<TypedArray>();
  const released = new Set<GradFn>();
  // A sum of two gradients is made by backward too (inOp: on the wasm backend it lives in the wasm
  // memory, as the gradients it adds do), and the two it replaces may be dead after it.
  const accumulate = createGraph
    ? add
    : (previous: Tensor, own: Tensor): Tensor => {
        const sum = inOp(() => addInto(previous, own));
        madeByBackward.add(sum.nd.data);
        return sum;
      };
  const inDType = createGraph ? (tensor: Tensor, g: Tensor) => cast(g, tensor.dtype) : inDTypeOf;
  withGradMode(createGraph, () => {
    for (const tensor of reverseTopologicalOrder(root)) {
      const grad = grads.get(tensor);
      if (!grad) continue;
      grads.delete(tensor);
      receive(tensor, grad);
      const fn = tensor.gradFn;
      if (!fn) {
        // A leaf's gradient was copied by receive.
        if (madeByBackward.has(grad.nd.data) && !sharesMemory(grad.nd.data, grads.values())) recycle(grad.nd.data);
        continue;
      }
      const { result: inputGrads, allocated } = createGraph
        ? { result: fn.apply(grad), allocated: [] }
        : trackAllocations(() => fn.apply(grad));
      for (const array of allocated) madeByBackward.add(array);
      if (!retainGraph) {
        fn.release(!createGraph);
        released.add(fn);
      }
      // The gradient this node consumed, and those replaced by their sums, are dead once no gradient
      // still waiting shares their memory (checked after every input has its gradient: one
      // backward may hand the same array to several inputs).
      const spent = new Set<TypedArray>([grad.nd.data]);
      fn.inputs.forEach((input, i) => {
        const g = inputGrads[i];
        if (!input || !g) return;
        if (!sameShape(g.shape, input.shape)) {
          throw new RangeError(
            `${fn.name} backward: gradient for input ${i} has shape ${formatShape(g.shape)}, expected ${formatShape(input.shape)}`,
          );
        }
        const previous = grads.get(input);
        const own = inDType(input, g);
        if (previous && !createGraph) spent.add(previous.nd.data).add(own.nd.data);
        grads.set(input, previous ? accumulate(previous, own) : own);
      });
      for (const array of spent) if (madeByBackward.has(array) && !sharesMemory(array, grads.values())) recycle(array);
    }
  });
  if (!createGraph) releaseChainActivations(released);
}

/** Computes gradients of `root` w.r.t. every leaf that requires grad, accumulating into `.grad`. */
export function runBackward(root: Tensor, gradOutput?: Tensor, options: BackwardOptions = {}): void {
  const resolved = resolveOptions('backward', options);
  const seed = seedGradient(root, gradOutput, 'backward', resolved.createGraph);
  propagate(root, seed, resolved, (tensor, grad) => {
    if (!tensor.isLeaf && !tensor.retainsGrad) return;
    if (resolved.createGraph) {
      // As PyTorch's AccumulateGrad in grad mode: .grad is a graph tensor, summed out of place;
      // a first gradient is copied (through the graph: ·1) since optimizers update .grad in place.
      tensor.grad = tensor.grad ? add(tensor.grad, grad) : mul(grad, 1);
    } else {
      // A fresh copy: an op's backward may pass through (a view of) gradOutput or a saved tensor,
      // and optimizers update .grad in place.
      tensor.grad = tensor.grad ? addInto(tensor.grad, grad) : Tensor.fromData(grad.values().slice(), grad.shape);
    }
  });
}

/**
 * Returns d(root)/d(input) for each of `inputs` without touching any `.grad` (PyTorch's
 * torch.autograd.grad). An input the root does not depend on gets null.
 */
export function grad(root: Tensor, inputs: readonly Tensor[], gradOutput?: Tensor, options: BackwardOptions = {}): Array<Tensor | null> {
  const resolved = resolveOptions('grad', options);
  const seed = seedGradient(root, gradOutput, 'grad', resolved.createGraph);
  const wanted = new Map<Tensor, Tensor | null>(inputs.map((t) => [t, null]));
  propagate(root, seed, resolved, (tensor, g) => {
    // With createGraph the gradient is returned as the graph made it, so it can be differentiated.
    if (wanted.has(tensor)) wanted.set(tensor, resolved.createGraph ? g : Tensor.fromData(g.values().slice(), g.shape));
  });
  return inputs.map((t) => wanted.get(t) ?? null);
}
