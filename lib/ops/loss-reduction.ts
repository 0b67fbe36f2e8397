/** The reductions the losses take, as PyTorch's: per-item losses kept ('none'), summed, or averaged. */
import type { Tensor } from '../tensor';
import type { DType, TypedArray } from '../../base/dtype';
import { fromFloat64 } from './reductions';

export type Reduction = 'mean' | 'sum' | 'none';

const REDUCTIONS: readonly Reduction[] = ['mean', 'sum', 'none'];

export function checkReduction(reduction: Reduction, op: string): void {
  if (!REDUCTIONS.includes(reduction)) {
    throw new RangeError(`${op}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`);
  }
}

/** Reduces per-item losses as asked; 'mean' divides by `divisor`. */
export function reduceItems(losses: Float64Array, itemShape: number[], reduction: Reduction, divisor: number, dtype: DType): Tensor {
  if (reduction === 'none') return fromFloat64(losses, dtype, itemShape);
  let total = 0;
  for (let i = 0; i < losses.length; i++) total += losses[i];
  return fromFloat64(Float64Array.of(reduction === 'mean' ? total / divisor : total), dtype, []);
}

/** dL/d(loss of item i) for every item, from the gradient of the reduced output. */
export function itemGradients(g: Tensor, items: number, reduction: Reduction, divisor: number): TypedArray {
  const gd = g.values();
  if (reduction === 'none') return gd;
  return new Float64Array(items).fill(reduction === 'mean' ? gd[0] / divisor : gd[0]);
}
