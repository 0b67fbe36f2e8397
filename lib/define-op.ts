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
import { Tensor } from './tensor';
import type { GradFn } from './autograd';
import { isGradEnabled, noGrad } from './grad-mode';

export interface OpDefinition<Args extends unknown[], Saved> {
  name: string;
  forward: (...args: Args) => { output: Tensor; saved: Saved };
  backward: (saved: Saved, gradOutput: Tensor, needsGrad: readonly boolean[]) => ReadonlyArray<Tensor | null | undefined>;
}

class OpNode<Saved> implements GradFn {
  private saved: Saved | undefined;
  private released = false;

  constructor(
    readonly name: string,
    readonly inputs: ReadonlyArray<Tensor | null>,
    saved: Saved,
    private readonly backwardFn: OpDefinition<never[], Saved>['backward'],
  ) {
    this.saved = saved;
  }

  apply(gradOutput: Tensor): ReadonlyArray<Tensor | null | undefined> {
    if (this.released) {
      throw new Error(
        `${this.name} backward: trying to backward through the graph a second time; pass { retainGraph: true } to the first backward()`,
      );
    }
    return this.backwardFn(
      this.saved as Saved,
      gradOutput,
      this.inputs.map((t) => t !== null),
    );
  }

  release(): void {
    this.saved = undefined;
    this.released = true;
  }
}

export function defineOp<Args extends unknown[], Saved>(definition: OpDefinition<Args, Saved>): (...args: Args) => Tensor {
  const { name } = definition;
  const op = (...args: Args): Tensor => {
    const record = isGradEnabled() && args.some((a) => a instanceof Tensor && a.requiresGrad);
    let { output, saved } = noGrad(() => definition.forward(...args));
    if (!record) return output;
    // An op may return an argument unchanged (identity in eval mode, p = 0 dropout …); the graph
    // node must hang off a new tensor, never off the caller's input.
    if (args.includes(output)) output = output.detach();
    output.gradFn = new OpNode(
      name,
      args.map((a) => (a instanceof Tensor && a.requiresGrad ? a : null)),
      saved,
      definition.backward as OpDefinition<never[], Saved>['backward'],
    );
    output.requiresGrad = true;
    return output;
  };
  Object.defineProperty(op, 'name', { value: name });
  return op;
}
