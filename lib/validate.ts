/**
 * Argument checks for the whole project (core, nn and the application): each names the caller, the
 * argument and the value, and runs before any random draw or state change.
 */
import { formatValue } from './shape';

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
