/** Shape arithmetic shared by every op: sizes, row-major strides, broadcasting, dims. */
export type Shape = readonly number[];

export function formatShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

/**
 * A caller's argument as an error message shows it: numbers as JS writes them (NaN and Infinity
 * stay visible, where JSON.stringify would print null), arrays element by element, strings
 * quoted, anything else as JSON, cut at 60 characters.
 */
export function formatValue(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `[${value.map(formatValue).join(',')}]`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function rowMajorStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** The multi-index of element `flat` of a row-major array of `shape`. */
export function unravelIndex(flat: number, shape: Shape): number[] {
  const strides = rowMajorStrides(shape);
  return strides.map((s, d) => Math.floor(flat / s) % shape[d]);
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The most elements one typed array holds (V8's limit; a shape beyond it cannot be allocated). */
export const MAX_ELEMENTS = 2 ** 32;

export interface ShapeRules {
  /** The argument's name in messages (default 'shape'). */
  argument?: string;
  /** How many -1 entries may stand for a size to infer or keep: 1 for reshape, any for expand (default 0). */
  wildcards?: number;
}

/**
 * Checks a shape given by a caller — an array of non-negative integer sizes (and, where `rules`
 * allow, -1) holding at most MAX_ELEMENTS elements — and returns a copy. Every path that takes a
 * shape uses it, so a bad one fails early with the function, the argument and the value named.
 */
export function checkShape(shape: unknown, where: string, rules: ShapeRules = {}): number[] {
  const { argument = 'shape', wildcards = 0 } = rules;
  if (!Array.isArray(shape)) throw new TypeError(`${where}: ${argument} must be an array of sizes, got ${formatValue(shape)}`);
  const sizes = shape as unknown[];
  // A function, not a string built up front: every tensor an op creates passes here, and only an error needs the text.
  const shown = (): string => `${argument} [${sizes.map(String).join(',')}]`;
  const bad = sizes.findIndex((d) => !(typeof d === 'number' && Number.isInteger(d) && (d >= 0 || (d === -1 && wildcards > 0))));
  if (bad >= 0) {
    const expected = wildcards > 0 ? 'non-negative integers or -1' : 'non-negative integers';
    throw new RangeError(`${where}: ${shown()} must hold ${expected}, got ${formatValue(sizes[bad])} at dim ${bad}`);
  }
  const checked = sizes as number[];
  const inferred = checked.filter((d) => d === -1).length;
  if (inferred > wildcards) throw new RangeError(`${where}: ${shown()} may infer at most ${wildcards} size (-1), got ${inferred}`);
  const count = sizeOf(checked.filter((d) => d !== -1));
  if (count > MAX_ELEMENTS) {
    throw new RangeError(`${where}: ${shown()} has ${count} elements, more than the ${MAX_ELEMENTS} one typed array can hold`);
  }
  return checked.slice();
}

/** NumPy/PyTorch broadcasting: align from the right; each pair of dims must match or be 1. */
export function broadcastShapes(a: Shape, b: Shape, op: string): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(`${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides that read `shape` as if it were broadcast to `target` (0 along broadcast dims). */
export function broadcastStrides(shape: Shape, target: Shape): number[] {
  const own = rowMajorStrides(shape);
  const offset = target.length - shape.length;
  return target.map((_, i) => {
    const j = i - offset;
    return j < 0 || shape[j] === 1 ? 0 : own[j];
  });
}

/** Resolves a possibly negative dim against a rank, naming the op on error. */
export function normalizeDim(dim: number, rank: number, op: string): number {
  const d = dim < 0 ? dim + rank : dim;
  if (!Number.isInteger(dim) || d < 0 || d >= rank) {
    throw new RangeError(`${op}: dim ${dim} is out of range for a tensor of rank ${rank} (expected ${-rank}..${rank - 1})`);
  }
  return d;
}

/** Normalizes `dim` (one, several, or all when undefined) into sorted unique dims. */
export function normalizeDims(dim: number | readonly number[] | undefined, rank: number, op: string): number[] {
  if (dim === undefined) return Array.from({ length: rank }, (_, i) => i);
  const dims = (typeof dim === 'number' ? [dim] : dim).map((d) => normalizeDim(d, rank, op));
  const unique = [...new Set(dims)].sort((x, y) => x - y);
  if (unique.length !== dims.length) throw new RangeError(`${op}: dim ${JSON.stringify(dim)} repeats a dimension`);
  return unique;
}
