/**
 * The power of a two-sample t-test, and from it how many seeds an experiment needs: how small a
 * difference of means n seeds per arm detect, and how many seeds a given difference needs.
 *
 * The model is Student's two-sided two-sample t-test with n values per arm, the same σ in both and
 * ν = 2n − 2. If the means truly differ by δ, its statistic is noncentral t with λ = δ / (σ√(2/n)),
 * so at level α (critical value c = t_{1−α/2, ν}) the power is exactly
 *
 *   power = P(T'_{ν,λ} > c) + P(T'_{ν,λ} < −c)
 *
 * and the minimum detectable difference is the δ where that equals the target 1 − β (solved by
 * bisection). The textbook closed form
 *
 *   δ ≈ (t_{1−α/2, ν} + t_{1−β, ν}) · σ · √(2/n)
 *
 * (approximateDetectableDifference) drops the far tail and treats T' as a t shifted by λ; at n = 5,
 * α = 0.05 and 80% power it is 0.2% below the exact δ, at α = 0.05/9 it is 3% below (power 77%
 * instead of 80%), at n = 2 5% and 15% below — hence the exact form.
 *
 * dropgrad's tables use Welch's test, whose ν (≤ 2n − 2) is estimated from the data: with equal σ
 * it has a little less power than Student's (a seeded simulation at n = 5 in test/power.spec.ts
 * puts it about 2 points lower), so these numbers are its best case. σ is taken as known; an
 * estimate from a few seeds is itself uncertain. `comparisons` m divides α by m: Bonferroni, and
 * the strictest step of Holm's procedure, where the smallest of m p-values is compared with α/m.
 */
import { checkOptions, optionKeys } from '../../lib/validate';
import { noncentralTCdf } from './noncentral-t';
import { studentTQuantile } from './student-t';

export interface PowerOptions {
  /** Two-sided significance level of one test, before division by `comparisons` (default 0.05). */
  alpha?: number;
  /** m: the test is at α/m (default 1). */
  comparisons?: number;
}

export interface TTestPowerOptions extends PowerOptions {
  /** The true difference of means, in the units of sigma. */
  difference: number;
  /** The standard deviation of one value (one seed's result) in each arm. */
  sigma: number;
  /** Values per arm (seeds per technique), at least 2. */
  n: number;
}

export interface DetectableDifferenceOptions extends PowerOptions {
  sigma: number;
  n: number;
  /** The target 1 − β (default 0.8). */
  power?: number;
}

export interface SeedsNeededOptions extends PowerOptions {
  difference: number;
  sigma: number;
  power?: number;
}

const POWER_KEYS = optionKeys<TTestPowerOptions>({ difference: true, sigma: true, n: true, alpha: true, comparisons: true });
const DETECTABLE_KEYS = optionKeys<DetectableDifferenceOptions>({ sigma: true, n: true, alpha: true, comparisons: true, power: true });
const SEEDS_KEYS = optionKeys<SeedsNeededOptions>({ difference: true, sigma: true, alpha: true, comparisons: true, power: true });

/** Beyond this many seeds per arm the search gives up: the difference is too small to test. */
const MAX_SEEDS = 1e9;

/** The test's level α/m after checking α and m. */
function testLevel(where: string, options: PowerOptions): number {
  const alpha = options.alpha ?? 0.05;
  const comparisons = options.comparisons ?? 1;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`${where}: alpha must be a significance level in (0, 1), got ${alpha}`);
  if (!(Number.isInteger(comparisons) && comparisons >= 1))
    throw new RangeError(`${where}: comparisons must be a positive integer (the family's size m), got ${comparisons}`);
  return alpha / comparisons;
}

function checkSigma(where: string, sigma: number): void {
  if (!(sigma > 0 && Number.isFinite(sigma)))
    throw new RangeError(`${where}: sigma must be a positive finite standard deviation, got ${sigma}`);
}

function checkN(where: string, n: number): void {
  if (!(Number.isInteger(n) && n >= 2)) throw new RangeError(`${where}: n must be an integer ≥ 2 (values per arm), got ${n}`);
}

/** The target power, which must exceed the level: at δ = 0 the test already rejects with probability α. */
function targetPower(where: string, options: { power?: number }, level: number): number {
  const power = options.power ?? 0.8;
  if (!(power > level && power < 1)) throw new RangeError(`${where}: power must be in (α/m, 1) = (${level}, 1), got ${power}`);
  return power;
}

/** The power at noncentrality λ of the two-sided test with critical value c on ν degrees of freedom. */
function powerAt(lambda: number, critical: number, df: number): number {
  return 1 - noncentralTCdf(critical, df, lambda) + noncentralTCdf(-critical, df, lambda);
}

/** The probability that the two-sided two-sample t-test at α/m rejects when the means differ by `difference`. */
export function tTestPower(options: TTestPowerOptions): number {
  const where = 'tTestPower';
  checkOptions(where, options, POWER_KEYS);
  const level = testLevel(where, options);
  checkSigma(where, options.sigma);
  checkN(where, options.n);
  if (!Number.isFinite(options.difference)) throw new RangeError(`${where}: difference must be a finite number, got ${options.difference}`);
  const df = 2 * options.n - 2;
  return powerAt(options.difference / (options.sigma * Math.sqrt(2 / options.n)), studentTQuantile(1 - level / 2, df), df);
}

/** A detectable-difference question, checked: the target power, ν, the critical value and the scale σ√(2/n) of a difference. */
function detectableSetup(
  where: string,
  options: DetectableDifferenceOptions,
): { power: number; df: number; critical: number; scale: number } {
  checkOptions(where, options, DETECTABLE_KEYS);
  const level = testLevel(where, options);
  const power = targetPower(where, options, level);
  checkSigma(where, options.sigma);
  checkN(where, options.n);
  const df = 2 * options.n - 2;
  return { power, df, critical: studentTQuantile(1 - level / 2, df), scale: options.sigma * Math.sqrt(2 / options.n) };
}

/** The closed form (t_{1−α/2, ν} + t_{1−β, ν}) · σ · √(2/n): a slight underestimate, most at small n and α. */
export function approximateDetectableDifference(options: DetectableDifferenceOptions): number {
  const { power, df, critical, scale } = detectableSetup('approximateDetectableDifference', options);
  return (critical + studentTQuantile(power, df)) * scale;
}

/** The smallest true difference the test at α/m detects with probability `power`, by the noncentral t. */
export function minimumDetectableDifference(options: DetectableDifferenceOptions): number {
  const { power, df, critical, scale } = detectableSetup('minimumDetectableDifference', options);
  // Power rises with λ from α at 0; bracket the target, then halve to float precision.
  let [lo, hi] = [0, critical + 1];
  while (powerAt(hi, critical, df) < power) [lo, hi] = [hi, 2 * hi];
  for (;;) {
    const mid = lo + (hi - lo) / 2;
    if (mid === lo || mid === hi) break;
    if (powerAt(mid, critical, df) < power) lo = mid;
    else hi = mid;
  }
  return hi * scale;
}

/** The fewest values per arm (≥ 2) with which the test at α/m detects `difference` with probability `power`. */
export function seedsNeeded(options: SeedsNeededOptions): number {
  const where = 'seedsNeeded';
  checkOptions(where, options, SEEDS_KEYS);
  const level = testLevel(where, options);
  const power = targetPower(where, options, level);
  checkSigma(where, options.sigma);
  const { difference, sigma } = options;
  if (!(difference !== 0 && Number.isFinite(difference)))
    throw new RangeError(`${where}: difference must be a finite nonzero number, got ${difference}`);
  const powerWith = (n: number): number => {
    const df = 2 * n - 2;
    return powerAt(Math.abs(difference) / (sigma * Math.sqrt(2 / n)), studentTQuantile(1 - level / 2, df), df);
  };
  // Power rises with n: double to a sufficient n, then bisect for the first.
  let [tooFew, enough] = [1, 2];
  while (powerWith(enough) < power) {
    if (enough > MAX_SEEDS)
      throw new RangeError(`${where}: a difference of ${difference} at σ = ${sigma} needs more than ${MAX_SEEDS} values per arm`);
    [tooFew, enough] = [enough, 2 * enough];
  }
  while (enough - tooFew > 1) {
    const mid = Math.floor((tooFew + enough) / 2);
    if (powerWith(mid) < power) tooFew = mid;
    else enough = mid;
  }
  return enough;
}
