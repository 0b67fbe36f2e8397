/**
 * A flag's value checked and typed: a number in its range, a seed, a pair, one of a set of words,
 * a writable output path. Each error names the flag, the value and what was expected.
 */
import { whyNotWritable } from '../serialization/atomic-write';
import { UsageError } from './usage-error';

export interface NumberRule {
  integer?: boolean;
  min?: number;
  max?: number;
}

/** A decimal number as people type it: no spaces, no hex (`0x1`), no `Infinity`. */
const decimal = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parses a numeric flag value, naming the flag, the value and the accepted range on error. */
export function parseNumber(flag: string, value: string, rule: NumberRule = {}): number {
  const n = Number(value);
  const kind = rule.integer ? 'an integer' : 'a number';
  // Open at an infinite end: Infinity is never accepted.
  const range =
    rule.min !== undefined || rule.max !== undefined
      ? ` in ${rule.min === undefined ? '(-∞' : `[${rule.min}`}, ${rule.max === undefined ? '∞)' : `${rule.max}]`}`
      : '';
  const outOfRange = (rule.min !== undefined && n < rule.min) || (rule.max !== undefined && n > rule.max);
  if (!decimal.test(value) || !Number.isFinite(n) || (rule.integer && !Number.isSafeInteger(n)) || outOfRange) {
    throw new UsageError(`--${flag}: expected ${kind}${range}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** A comma-separated list of distinct numbers (`--p 0.5,0.25`), each checked by `rule`. */
export function parseNumberList(flag: string, value: string, rule: NumberRule = {}): number[] {
  const numbers = value.split(',').map((part) => parseNumber(flag, part, rule));
  const repeated = numbers.find((n, i) => numbers.indexOf(n) !== i);
  if (repeated !== undefined) throw new UsageError(`--${flag}: ${repeated} is listed twice in ${JSON.stringify(value)}`);
  return numbers;
}

/** The largest seed: Generator takes a seed's low 32 bits, so 2^32 would seed as 0 and −1 as 2^32 − 1. */
export const maxSeed = 2 ** 32 - 1;

/** A seed the generator tells apart from every other: an integer in [0, 2^32 − 1]. */
export const parseSeed = (flag: string, value: string): number => parseNumber(flag, value, { integer: true, min: 0, max: maxSeed });

/** Parses `A:B` pairs such as `--dropblock 0.9:3`. */
export function parsePair(flag: string, value: string, format: string, first: NumberRule, second: NumberRule): [number, number] {
  const parts = value.split(':');
  if (parts.length !== 2) throw new UsageError(`--${flag}: expected ${format}, got ${JSON.stringify(value)}`);
  return [
    parseNumber(`${flag} (${format.split(':')[0]})`, parts[0], first),
    parseNumber(`${flag} (${format.split(':')[1]})`, parts[1], second),
  ];
}

/** One of a fixed set of words. */
export function parseChoice<T extends string>(flag: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${flag}: expected one of ${choices.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

/** An output file, checked before any work starts: its directory exists and takes new files. */
export function parseOutputPath(flag: string, value: string): string {
  const problem = whyNotWritable(value);
  if (problem !== undefined) throw new UsageError(`--${flag}: cannot write ${JSON.stringify(value)}: ${problem}`);
  return value;
}
