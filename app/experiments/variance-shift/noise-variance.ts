/**
 * The variance of each multiplicative noise of mean 1 (docs/variance-shift.md): the c in
 * Var_train = Var_test + c·Σw²E[h²]. Two noises of equal variance are equally strong, and shift the
 * variance at a BN after them alike (1/(1 + c) for zero-mean units).
 */

/** Dropout's M/(1−p), M ~ Bernoulli(1−p). */
export const dropoutNoiseVariance = (p: number): number => p / (1 - p);

/** Uout's 1 + U(−β, β). */
export const uoutNoiseVariance = (beta: number): number => (beta * beta) / 3;

/** The β whose Uout has dropout p's noise variance: √(3p/(1−p)), above 1 (where 1 + u can be negative) from p = 0.25. */
export const uoutBetaMatching = (p: number): number => Math.sqrt(3 * dropoutNoiseVariance(p));
