/**
 * defineOp: how every differentiable op in dropgrad is written, and how users write their own.
 *
 *   const square = defineOp({
 *     name: 'square',
 *     forward: (x: Tensor) => ({ output: mul(x, x), saved: x }),
 *     backward: (x, gradOutput) => [mul(gradOutput, mul(x, 2))],   // d(x²)/dx = 2x
 *   });
 *
 * `forward` runs with gradient recording off and returns the output plus whatever backward needs.
 * `backward` returns one gradient per forward argument (entries for non-tensor arguments are
 * ignored); `needsGrad[i]` says whether argument i wants one, so expensive gradients can be skipped.
 */
import { Tensor, versionOf } from './tensor';
import { type TypedArray, inOp } from '../base/dtype';
import { formatShape } from '../base/shape';
import type { GradFn } from './autograd';
import { isGradEnabled, noGrad } from './grad-mode';

export interface OpDefinition<Args extends unknown[], Saved> {
  name: string;
  forward: (...args: Args) => { output: Tensor; saved: Saved };
  backward: (saved: Saved, gradOutput: Tensor, needsGrad: readonly boolean[]) => ReadonlyArray<Tensor | null | undefined>;
  /**
   * Optional: gives back memory that only `saved` holds (max pooling's argmax, from
   * allocateIndices), once nothing can read it — right after forward when the call is not
   * recorded, and when backward releases the node while recording no graph of its own (a graph
   * recorded by a backward may have saved it again).
   */
  discard?: (saved: Saved) => void;
}

/** A typed array an op saved for backward, with its version then and what it was, for the message. */
interface SavedVersion {
  array: TypedArray;
  version: number;
  /** 'input 1 of', 'the output of', …: the op's name follows. */
  what: string;
  shape: readonly number[];
}

/**
 * The typed arrays in `saved` (tensors' memory and bare arrays, in objects up to two levels deep),
 * each with its version now and a name: which argument of the op it is, or its output.
 */
function savedVersions(saved: unknown, args: readonly unknown[], output: Tensor): SavedVersion[] {
  const found = new Map<TypedArray, readonly number[]>();
  const visit = (value: unknown, depth: number): void => {
    if (value instanceof Tensor) {
      if (!found.has(value.nd.data)) found.set(value.nd.data, value.shape);
    } else if (value instanceof Float64Array || value instanceof Float32Array) {
      if (!found.has(value)) found.set(value, [value.length]);
    } else if (depth < 2 && typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)) {
      for (const v of Object.values(value)) visit(v, depth + 1);
    }
  };
  visit(saved, 0);
  const tensorArgs = args.filter((a) => a instanceof Tensor).length;
  return [...found].map(([array, shape]) => {
    const index = args.findIndex((a) => a instanceof Tensor && a.nd.data === array);
    if (index >= 0) {
      return {
        array,
        version: versionOf(array),
        what: tensorArgs === 1 ? 'the input of' : `input ${index} of`,
        shape: (args[index] as Tensor).shape,
      };
    }
    const what = output.nd.data === array ? 'the output of' : 'a tensor saved by';
    return { array, version: versionOf(array), what, shape: output.nd.data === array ? output.shape : shape };
  });
}

class OpNode<Saved> implements GradFn {
  private saved: Saved | undefined;
  private released = false;

  constructor(
    readonly name: string,
    readonly inputs: ReadonlyArray<Tensor | null>,
    saved: Saved,
    private readonly versions: readonly SavedVersion[],
    private readonly backwardFn: OpDefinition<never[], Saved>['backward'],
    private readonly discard: OpDefinition<never[], Saved>['discard'],
  ) {
    this.saved = saved;
  }

  apply(gradOutput: Tensor): ReadonlyArray<Tensor | null | undefined> {
    if (this.released) {
      throw new Error(
        `${this.name} backward: trying to backward through the graph a second time; pass { retainGraph: true } to the first backward()`,
      );
    }
    // PyTorch's check and words: a gradient computed from numbers changed since forward is wrong.
    for (const { array, version, what, shape } of this.versions) {
      const now = versionOf(array);
      if (now !== version) {
        throw new Error(
          `one of the tensors needed for gradient computation has been modified by an in-place operation: ${what} ${this.name} (shape ${formatShape(shape)}) is at version ${now}; expected version ${version}`,
        );
      }
    }
    return inOp(() =>
      this.backwardFn(
        this.saved as Saved,
        gradOutput,
        this.inputs.map((t) => t !== null),
      ),
    );
  }

  release(reclaimSaved: boolean): void {
    if (reclaimSaved && this.saved !== undefined) this.discard?.(this.saved);
    this.saved = undefined;
    this.released = true;
  }
}

export function defineOp<Args extends unknown[], Saved>(definition: OpDefinition<Args, Saved>): (...args: Args) => Tensor {
  const { name } = definition;
  const op = (...args: Args): Tensor => {
    const record = isGradEnabled() && args.some((a) => a instanceof Tensor && a.requiresGrad);
    let { output, saved } = noGrad(() => inOp(() => definition.forward(...args)));
    if (!record) {
      definition.discard?.(saved);
      return output;
    }
    // An op may return an argument unchanged (identity in eval mode, p = 0 dropout …); the graph
    // node must hang off a new tensor, never off the caller's input.
    if (args.includes(output)) output = output.detach();
    output.gradFn = new OpNode(
      name,
      args.map((a) => (a instanceof Tensor && a.requiresGrad ? a : null)),
      saved,
      savedVersions(saved, args, output),
      definition.backward as OpDefinition<never[], Saved>['backward'],
      definition.discard,
    );
    output.requiresGrad = true;
    return output;
  };
  Object.defineProperty(op, 'name', { value: name });
  return op;
}
