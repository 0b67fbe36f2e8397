/**
 * Argument checks for the whole project (core, nn and the application): each names the caller, the
 * argument and the value, and runs before any random draw or state change.
 */
import { formatValue } from '../base/shape';

export function checkProbability(where: string, name: string, value: number, options: { allowOne?: boolean } = {}): number {
  const allowOne = options.allowOne ?? true;
  const ok = typeof value === 'number' && value >= 0 && (allowOne ? value <= 1 : value < 1);
  if (!ok) throw new RangeError(`${where}: ${name} must be a probability in [0, 1${allowOne ? ']' : ')'}, got ${formatValue(value)}`);
  return value;
}

export function checkPositiveInteger(where: string, name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${where}: ${name} must be a positive integer, got ${formatValue(value)}`);
  return value;
}

export function checkInteger(where: string, name: string, value: number): number {
  if (!Number.isInteger(value)) throw new RangeError(`${where}: ${name} must be an integer, got ${formatValue(value)}`);
  return value;
}

/** A flag must be a real boolean: 'no' or 0 would otherwise switch a mode by truthiness. */
export function checkBoolean(where: string, name: string, value: boolean): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${where}: ${name} must be a boolean, got ${formatValue(value)}`);
  return value;
}

export function checkNonNegative(where: string, name: string, value: number): number {
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) {
    throw new RangeError(`${where}: ${name} must be a finite number ≥ 0, got ${formatValue(value)}`);
  }
  return value;
}

/**
 * The option names of an options type, listed once at run time next to the type: the `Record`
 * makes the compiler refuse a list that misses a key of `Options` or names one it does not have,
 * so the list and the type cannot drift apart.
 */
export function optionKeys<Options extends object>(keys: Record<keyof Options & string, true>): readonly string[] {
  return Object.freeze(Object.keys(keys));
}

/**
 * An options bag: a plain object (not null, not an array) whose every key is one of `keys`. An
 * unknown key is an error naming the function, the key and the accepted keys, with the closest
 * accepted one when it is a likely slip (weight_decay → weightDecay, paddng → padding): an
 * ignored misspelt option silently trains something other than what was asked.
 */
export function checkOptions<Options extends object>(
  where: string,
  options: Options,
  keys: readonly string[],
  expected = 'an object',
): Options {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new TypeError(`${where}: options must be ${expected}, got ${formatValue(options)}`);
  for (const key of Object.keys(options)) {
    if (keys.includes(key)) continue;
    const suggestion = closestKey(key, keys);
    const hint = suggestion === null ? '' : ` (did you mean '${suggestion}'?)`;
    const accepted = keys.length > 0 ? `the options are ${keys.join(', ')}` : 'it takes no options';
    throw new TypeError(`${where}: unknown option '${key}'${hint}; ${accepted}`);
  }
  return options;
}

/** The accepted key `key` most likely meant: the same up to case and _/-, or within a small edit distance. */
function closestKey(key: string, keys: readonly string[]): string | null {
  const normal = (k: string): string => k.toLowerCase().replace(/[_-]/g, '');
  const same = keys.find((k) => normal(k) === normal(key));
  if (same !== undefined) return same;
  let best: string | null = null;
  let bestDistance = Math.max(1, Math.floor(key.length / 4)) + 1;
  for (const k of keys) {
    const distance = editDistance(normal(key), normal(k));
    if (distance < bestDistance) [best, bestDistance] = [k, distance];
  }
  return best;
}

/** Levenshtein distance between two short strings. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
