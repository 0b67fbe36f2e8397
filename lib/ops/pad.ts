/**
 * pad(x, padding, { mode, value }) with PyTorch's F.pad convention: padding lists (before, after)
 * pairs starting from the last dim, e.g. [left, right, top, bottom]. Negative amounts crop.
 *
 * Every output element copies one input element (or is the constant), so the op is a gather with
 * a per-dim index map:  dX = scatter-add of dY onto the source of each output element (for
 * 'constant' this is dY cropped back; reflect/replicate/circular sources receive several terms).
 */
import type { Tensor } from '../tensor';
import { defineOp } from '../define-op';
import { checkShape, formatShape } from '../../base/shape';
import { gatherByOffsets, offsetsFromDimMaps, scatterBackward } from './gather-scatter';
import { checkOptions, optionKeys } from '../validate';

export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

export interface PadOptions {
  /** How positions outside the input are filled (default 'constant'). */
  mode?: PadMode;
  /** The fill of 'constant' mode (default 0). */
  value?: number;
}
const padOptionKeys = optionKeys<PadOptions>({ mode: true, value: true });

/** For each mode, the input index an out-of-range index i reads (−1: the constant), for a dim of size n. */
const sourceIndex: Record<PadMode, (i: number, n: number) => number> = {
  constant: (i, n) => (i >= 0 && i < n ? i : -1),
  reflect: (i, n) => (i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i),
  replicate: (i, n) => Math.min(Math.max(i, 0), n - 1),
  circular: (i, n) => ((i % n) + n) % n,
};

/** Largest padding per side each mode can express: reflect mirrors without repeating the edge. */
const maxPad: Record<PadMode, (n: number) => number> = {
  constant: () => Infinity,
  reflect: (n) => n - 1,
  replicate: (n) => (n > 0 ? Infinity : 0),
  circular: (n) => n,
};

function checkPadding(x: Tensor, padding: readonly number[], mode: PadMode): void {
  // Own keys only: `in` would also accept 'toString' or 'constructor' from the prototype.
  if (!Object.hasOwn(sourceIndex, mode)) {
    throw new RangeError(`pad: mode must be one of ${Object.keys(sourceIndex).join(', ')}, got ${JSON.stringify(mode)}`);
  }
  if (padding.length % 2 !== 0 || padding.length > 2 * x.ndim || !padding.every(Number.isInteger)) {
    throw new RangeError(
      `pad: padding ${formatShape(padding)} must be an even number (at most ${2 * x.ndim}) of integers for a tensor of shape ${formatShape(x.shape)}`,
    );
  }
  for (let pair = 0; pair < padding.length / 2; pair++) {
    const dim = x.ndim - 1 - pair;
    const size = x.shape[dim];
    const [before, after] = [padding[2 * pair], padding[2 * pair + 1]];
    if (size + before + after < 0) {
      throw new RangeError(
        `pad: padding [${before},${after}] on dim ${dim} of size ${size} leaves a negative size ${size + before + after}`,
      );
    }
    if (Math.max(before, after) > maxPad[mode](size)) {
      throw new RangeError(
        `pad: ${mode} padding [${before},${after}] on dim ${dim} must not exceed ${maxPad[mode](size)} for a dim of size ${size}`,
      );
    }
  }
}

export const pad = defineOp({
  name: 'pad',
  forward: (x: Tensor, padding: readonly number[], options: PadOptions = {}) => {
    checkOptions('pad', options, padOptionKeys);
    const { mode = 'constant', value = 0 } = options;
    checkPadding(x, padding, mode);
    const sourceShape = x.shape;
    const before = (dim: number): number => padding[2 * (x.ndim - 1 - dim)] ?? 0;
    const after = (dim: number): number => padding[2 * (x.ndim - 1 - dim) + 1] ?? 0;
    const shape = checkShape(
      sourceShape.map((size, dim) => size + before(dim) + after(dim)),
      'pad',
      { argument: 'output shape' },
    );
    const maps = sourceShape.map((size, dim) =>
      Int32Array.from({ length: shape[dim] }, (_, i) => sourceIndex[mode](i - before(dim), size)),
    );
    const offsets = offsetsFromDimMaps(maps, sourceShape);
    const output = gatherByOffsets(
      x,
      offsets,
      maps.map((m) => m.length),
      value,
    );
    return { output, saved: { offsets, sourceShape } };
  },
  backward: scatterBackward,
});
