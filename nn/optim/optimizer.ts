/**
 * The optimizer base: holds the parameters, a learning rate that schedulers may change, and
 * per-parameter state buffers (momentum, Adam's moments) that can be saved and restored with a
 * checkpoint. Updates write into the parameters' storage in place, so modules see them at once.
 */
import { Tensor } from '../../lib/tensor';
import { TypedArray, allocate } from '../../lib/dtype';

export type OptimizerState = { step: number; lr: number; buffers: Record<string, number[][]> };

export abstract class Optimizer {
  readonly params: readonly Tensor[];
  lr: number;
  /** Number of step() calls so far. */
  stepCount = 0;
  /** Named per-parameter buffers, created lazily in each parameter's dtype. */
  protected readonly buffers = new Map<string, TypedArray[]>();

  constructor(params: Iterable<Tensor>, lr: number) {
    this.params = [...params];
    const where = new.target.name;
    if (this.params.length === 0) throw new Error(`${where}: got an empty parameter list`);
    this.params.forEach((p, i) => {
      if (!p.isLeaf || !p.isContiguous) throw new Error(`${where}: parameter ${i} must be a contiguous leaf tensor (a Parameter)`);
    });
    checkNonNegative(where, 'lr', lr);
    this.lr = lr;
  }

  /** The buffer `name` of parameter i, zero-initialised on first use. */
  protected buffer(name: string, i: number): TypedArray {
    let list = this.buffers.get(name);
    if (!list) {
      list = this.params.map((p) => allocate(p.dtype, p.numel));
      this.buffers.set(name, list);
    }
    return list[i];
  }

  /** Applies one update to every parameter that has a gradient (all are checked first). */
  step(): void {
    const grads = this.params.map((p) => p.grad?.contiguousData() ?? null);
    grads.forEach((grad, i) => {
      const bad = grad ? grad.findIndex((g) => !Number.isFinite(g)) : -1;
      if (bad >= 0) {
        throw new RangeError(`${this.constructor.name}.step: parameter ${i} has a non-finite gradient (${grad![bad]} at index ${bad}); nothing was updated`);
      }
    });
    this.stepCount++;
    grads.forEach((grad, i) => {
      if (grad) this.update(this.params[i].storage, grad, i);
    });
  }

  /** The update rule for one parameter: `param` is changed in place. */
  protected abstract update(param: TypedArray, grad: TypedArray, index: number): void;

  /** Clears the gradients of every parameter. */
  zeroGrad(): void {
    for (const p of this.params) p.grad = null;
  }

  stateDict(): OptimizerState {
    const buffers: Record<string, number[][]> = {};
    for (const [name, list] of this.buffers) buffers[name] = list.map((b) => Array.from(b));
    return { step: this.stepCount, lr: this.lr, buffers };
  }

  loadStateDict(state: OptimizerState): void {
    const where = `${this.constructor.name}.loadStateDict`;
    for (const [name, list] of Object.entries(state.buffers)) {
      if (list.length !== this.params.length || list.some((b, i) => b.length !== this.params[i].numel)) {
        throw new RangeError(`${where}: buffer ${name} does not match the ${this.params.length} parameters' sizes`);
      }
    }
    this.stepCount = state.step;
    this.lr = state.lr;
    this.buffers.clear();
    for (const [name, list] of Object.entries(state.buffers)) list.forEach((values, i) => this.buffer(name, i).set(values));
  }
}

export function checkNonNegative(where: string, name: string, value: number): number {
  if (!(value >= 0) || !Number.isFinite(value)) throw new RangeError(`${where}: ${name} must be a finite number ≥ 0, got ${value}`);
  return value;
}
